"""lightning.pytorch.utilities.exceptions stand-in."""


class MisconfigurationException(Exception):
    pass
