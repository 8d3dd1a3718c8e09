"""The one save path of every write service (HackSoft's ``model_update``, Zulip's one action per write).

``record_save`` validates (``full_clean``), saves in a savepoint and turns what the database refuses
into an Indonesian ``ValidationError``: a named constraint into its message, the month lock
(``posyandu.monthlock``) into the locked month's message. Anything else is re-raised: an integrity
error nobody named is a bug, not a "duplicate".
"""

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction

from posyandu import monthlock


def record_save(
    instance,
    *,
    constraint_errors: dict[str, str] | None = None,
    exclude: list[str] | None = None,
    errors: dict | None = None,
    validate: bool = True,
):
    """Validate and save ``instance``; ``errors`` are the caller's own, reported with the model's.

    ``constraint_errors`` maps a database constraint's name to the message (or ``{field: message}``)
    shown when a concurrent write makes it fail after validation passed."""
    if errors:
        try:
            instance.full_clean(exclude=exclude)
        except ValidationError as exc:
            exc.update_error_dict(errors)
        raise ValidationError(errors)
    if validate:
        instance.full_clean(exclude=exclude)
    try:
        with transaction.atomic():
            instance.save()
    except DatabaseError as exc:
        raise as_validation_error(exc, constraint_errors) from exc
    return instance


def as_validation_error(exc: DatabaseError, constraint_errors: dict | None = None) -> BaseException:
    """The user's message for a refusal by the database, or ``exc`` itself when none is known."""
    if (locked := monthlock.as_validation_error(exc)) is not None:
        return locked
    constraint = getattr(getattr(exc.__cause__, "diag", None), "constraint_name", None)
    for name, message in (constraint_errors or {}).items():
        if name == constraint or (constraint is None and name in str(exc)):
            return ValidationError(message)
    return exc


def record_update(instance, *, data: dict, fields: tuple[str, ...] | list[str], **save_options):
    """Set the allowed ``fields`` present in ``data`` (others are ignored) and save through ``record_save``."""
    for name in fields:
        if name in data:
            setattr(instance, name, data[name])
    return record_save(instance, **save_options)
