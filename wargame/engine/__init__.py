"""The pure, deterministic engine: (scenario, seed, decisions) -> states and events.

No clock, terminal, file or global random state in here, and no rich.
"""
