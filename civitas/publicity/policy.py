"""Who may keep the publicity register: predicates over the role table (core.permissions).

The register belongs to its municipality; a role counts only there. The services call
``require_manage_publicity`` first, whoever calls them; views call ``can_manage_publicity`` only to
decide what to show.
"""

from civitas.core.models import Municipality
from civitas.core.permissions import Action, can, require


def can_manage_publicity(user, municipality: Municipality) -> bool:
    """Record, edit and delete the municipality's events, materials and publications."""
    return can(user, municipality, Action.MANAGE_PUBLICITY)


def require_manage_publicity(user, municipality: Municipality) -> None:
    require(user, municipality, Action.MANAGE_PUBLICITY)
