from .rules import is_admin, is_county_admin, is_juror, is_staff_member


def roles(request):
    """Role flags for the navigation bar."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "user_is_admin": is_admin(user),
        "user_is_county_admin": is_county_admin(user),
        "user_is_staff_member": is_staff_member(user),
        "user_is_juror": is_juror(user),
    }
