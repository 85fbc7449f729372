"""Finding what a strict Content Security Policy would block in HTML: inline scripts (except
data blocks such as ``json_script``), ``<style>`` elements, ``style=""`` and ``on*=""``
attributes, ``javascript:`` URLs."""

from html.parser import HTMLParser

DATA_SCRIPT_TYPES = {"application/json", "application/ld+json", "text/template"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster"}


class InlineFinder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.problems = []
        self._inline_script = False
        self._script_text = []

    def _where(self):
        return f"line {self.getpos()[0]}"

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name, value in attrs.items():
            if name == "style":
                self.problems.append(f"{self._where()}: style attribute on <{tag}>")
            elif name.startswith("on"):
                self.problems.append(f"{self._where()}: event handler {name}= on <{tag}>")
            elif name in URL_ATTRIBUTES and (value or "").strip().lower().startswith("javascript:"):
                self.problems.append(f"{self._where()}: javascript: URL in {name}= on <{tag}>")
        if tag == "style":
            self.problems.append(f"{self._where()}: <style> element")
        if tag == "script" and not attrs.get("src") and (attrs.get("type") or "").lower() not in DATA_SCRIPT_TYPES:
            self._inline_script = True
            self._script_text = []

    def handle_data(self, data):
        if self._inline_script:
            self._script_text.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._inline_script:
            self._inline_script = False
            self.problems.append(f"{self._where()}: inline <script>: {''.join(self._script_text).strip()[:60]!r}")


def inline_problems(html):
    finder = InlineFinder()
    finder.feed(html)
    finder.close()
    return finder.problems
