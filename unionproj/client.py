"""Who is asking: the client's address, the same for the audit, django-axes and the health
check's allow-list."""

from django.conf import settings


def client_ip(request):
    """The client's address: ``REMOTE_ADDR``, or the header the reverse proxy sets
    (``CLIENT_IP_HEADER``, e.g. ``HTTP_X_REAL_IP``) when the platform runs behind one. Also
    django-axes' ``AXES_CLIENT_IP_CALLABLE``, so lockouts and the audit agree."""
    if request is None:
        return None
    meta = getattr(request, "META", {}) or {}
    header = getattr(settings, "CLIENT_IP_HEADER", "")
    value = (meta.get(header) if header else None) or meta.get("REMOTE_ADDR") or ""
    # X-Forwarded-For may hold a chain: the proxy appends the address it saw last.
    value = value.split(",")[-1].strip()[:45]
    return value or None
