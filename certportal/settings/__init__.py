"""Settings are split by purpose: ``base`` (everything, from the environment), ``dev``, ``test`` and ``prod``.

Every value that differs between machines comes from an environment variable read in ``base``;
``.env.example`` lists each one with its meaning and default.
"""
