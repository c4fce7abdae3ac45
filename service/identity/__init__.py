"""Who acts: the actor of a trigger, staff users and integrator tokens."""
