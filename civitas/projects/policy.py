"""Who may do what to a project and its parts: predicates over the role table (core.permissions).

A project, with its partners, funding lines, activities and documents, belongs to its
municipality; a role counts only there. The services call ``require_*`` first, whoever calls them;
views call ``can_*`` only to decide what to show.
"""

from civitas.core.models import Municipality
from civitas.core.permissions import Action, can, require

from .models import Project


def can_edit_projects(user, municipality: Municipality) -> bool:
    """Whether the person works on this municipality's projects: creates them, and is shown the
    links to edit them."""
    return can(user, municipality, Action.EDIT_PROJECT)


def require_create_project(user, municipality: Municipality) -> None:
    require(user, municipality, Action.EDIT_PROJECT)


def can_edit_project(user, project: Project) -> bool:
    """Edit the project's fields, the plan elements it serves, and its parts."""
    return can(user, project.municipality, Action.EDIT_PROJECT)


def require_edit_project(user, project: Project) -> None:
    require(user, project.municipality, Action.EDIT_PROJECT)


def can_update_progress(user, project: Project) -> bool:
    return can(user, project.municipality, Action.UPDATE_PROJECT_PROGRESS)


def require_update_progress(user, project: Project) -> None:
    require(user, project.municipality, Action.UPDATE_PROJECT_PROGRESS)


def can_delete_project(user, project: Project) -> bool:
    return can(user, project.municipality, Action.DELETE_PROJECT)


def require_delete_project(user, project: Project) -> None:
    require(user, project.municipality, Action.DELETE_PROJECT)
