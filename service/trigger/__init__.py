"""The one trigger path: load, apply, run to the next wait state, save everything, commit once."""
