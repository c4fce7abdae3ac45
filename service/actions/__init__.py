"""Write actions: one external trigger each, one transaction each."""
