"""Reading an uploaded spreadsheet's cells the same way in every import (kader, training participants,
e-PPGBM): one place for how a cell becomes text."""


def cell_text(value) -> str:
    """A cell as the text a person typed: ``None`` is empty, ``12.0`` (a whole number Excel stored as a
    float) is ``12``, runs of white space are one space."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return " ".join(str(value).split())
