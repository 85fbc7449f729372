from django.utils.deprecation import MiddlewareMixin


class ChineseFirstMiddleware(MiddlewareMixin):
    """Make Chinese the language unless the user picked another with the switcher.

    Django would otherwise follow the browser's Accept-Language, and an office PC set up in
    English would show the platform in English to a user who never asked for it. The choice
    made with the language switcher (a cookie) still wins.
    """

    def process_request(self, request):
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
