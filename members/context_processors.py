from .rules import is_admin


def roles(request):
    """Role flags for the navigation bar."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "user_is_admin": is_admin(user),
        "user_is_county_admin": user.is_county_admin_role,
        "user_is_staff_member": user.is_staff_role,
        "user_is_juror": user.is_juror_role,
    }
