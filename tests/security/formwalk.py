"""What a page offers to send back: its POST forms (action, fields and the values a browser would
send) and the query parameters of its links (``href``, ``hx-get``, GET forms), read from the
rendered HTML with the standard library's parser."""

from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit


class Form:
    def __init__(self, action, method):
        self.action, self.method = action, method
        self.values = {}        # name: [value, …] as a browser would send them
        self.numeric = set()    # names of fields holding an integer (ids, counts)

    def add(self, name, value, numeric_kind=False):
        self.values.setdefault(name, [])
        if value is not None:
            self.values[name].append(value)
        if numeric_kind or (value or "").isascii() and (value or "").isdigit():
            self.numeric.add(name)


class PageParser(HTMLParser):
    def __init__(self, page_path):
        super().__init__()
        self.page_path = page_path
        self.forms, self.links = [], []
        self._form = self._select = None
        self._select_first = False
        self._by_id = {}

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for attribute in ("href", "hx-get", "hx-post", "action", "data-url"):
            if a.get(attribute) and "?" in a[attribute]:
                self.links.append(a[attribute])
        if tag == "form":
            self._form = Form(urlsplit(a.get("action") or self.page_path).path or self.page_path,
                              (a.get("method") or "get").lower())
            self.forms.append(self._form)
            if a.get("id"):
                self._by_id[a["id"]] = self._form
            return
        outer = self._form
        if a.get("form") in self._by_id:  # a field outside its form (<input form="…">)
            self._form = self._by_id[a["form"]]
        try:
            self._field(tag, a)
        finally:
            self._form = outer

    def _field(self, tag, a):
        if self._form is None or not a.get("name") and tag != "option":
            return
        elif tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in a:
                # an unchecked box sends nothing, but it names a field the view reads
                self._form.add(a["name"], None, numeric_kind=(a.get("value") or "").isdigit())
            elif kind not in ("submit", "button", "file", "image", "reset"):
                self._form.add(a["name"], a.get("value", ""), numeric_kind=kind == "number")
        elif tag == "textarea":
            self._form.add(a["name"], "文本")
        elif tag == "select":
            self._select, self._select_first = a["name"], True
            self._form.add(self._select, None)
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            if value.isdigit():
                self._form.numeric.add(self._select)
            if self._select_first or "selected" in a:
                self._form.values[self._select] = [value]
                self._select_first = False

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def read_page(path, html):
    """``(forms, {query parameter name: {link path, …}})`` of the page at ``path``."""
    parser = PageParser(path)
    parser.feed(html)
    params = {}
    for link in parser.links:
        parts = urlsplit(link)
        for name, _value in parse_qsl(parts.query, keep_blank_values=True):
            params.setdefault(name, set()).add(parts.path or path)
    for form in parser.forms:
        if form.method == "get":
            for name in form.values:
                params.setdefault(name, set()).add(form.action)
    return parser.forms, params
