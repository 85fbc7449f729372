"""Attachment checks: the type is read from the file's first bytes, not taken from its name."""

import re
import unicodedata
from pathlib import PurePath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from unionproj.text import quoted

# extension → (kinds filetype may report for it, content type we store and serve)
_OLE = {"doc", "xls", "ppt"}
_OOXML = {"docx", "xlsx", "pptx"}
ALLOWED = {
    "pdf": ({"pdf"}, "application/pdf"),
    "doc": (_OLE, "application/msword"),
    "xls": (_OLE, "application/vnd.ms-excel"),
    "ppt": (_OLE, "application/vnd.ms-powerpoint"),
    "docx": ({"docx"}, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xlsx": ({"xlsx"}, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "pptx": ({"pptx"}, "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    "jpg": ({"jpg"}, "image/jpeg"),
    "jpeg": ({"jpg"}, "image/jpeg"),
    "png": ({"png"}, "image/png"),
    "mp4": ({"mp4", "m4v", "mov"}, "video/mp4"),
}
ALLOWED_LABEL = "pdf, doc(x), ppt(x), xls(x), jpg, png, mp4"


def clean_filename(name):
    """The user's file name without any path, control characters or odd Unicode forms."""
    name = unicodedata.normalize("NFC", str(name or ""))
    name = PurePath(name.replace("\\", "/")).name
    name = re.sub(r"[\x00-\x1f\x7f<>:\"/\\|?*]", "_", name).strip(" .")
    return (name or "file")[-200:]


def check_upload(uploaded):
    """Return ``(clean name, content type)`` or raise ``ValidationError`` saying why not."""
    name = clean_filename(getattr(uploaded, "name", ""))
    size = getattr(uploaded, "size", None) or 0
    limit = settings.ATTACHMENT_MAX_BYTES
    if size > limit:
        raise ValidationError(
            _("文件%(name)s超过大小上限 %(limit)s。") % {"name": quoted(name), "limit": filesizeformat(limit)}
        )
    if size == 0:
        raise ValidationError(_("文件%(name)s是空文件。") % {"name": quoted(name)})
    ext = PurePath(name).suffix.lower().lstrip(".")
    if ext not in ALLOWED:
        raise ValidationError(
            _("不支持的文件类型%(ext)s，仅支持 %(allowed)s。") % {"ext": quoted(ext or "?"), "allowed": ALLOWED_LABEL}
        )
    kinds, content_type = ALLOWED[ext]
    uploaded.seek(0)
    head = uploaded.read(8192)
    uploaded.seek(0)
    if _sniff(head, uploaded, ext) not in kinds:
        raise ValidationError(
            _("文件%(name)s的内容与扩展名不符（不是真正的 %(ext)s 文件）。") % {"name": quoted(name), "ext": ext}
        )
    return name, content_type


OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _sniff(head, uploaded, ext):
    """The kind of file the bytes say it is (an extension), or ``None``."""
    if head.startswith(OLE_MAGIC):
        # Legacy Office files share one container; which of doc/xls/ppt it holds needs a full
        # parser, and any of them is an allowed type.
        return ext if ext in _OLE else "doc"
    kind = filetype.guess(head)
    if ext in _OOXML and (kind is None or kind.extension == "zip"):
        # filetype names an Office file only when its first zip entries say so; otherwise it
        # reports a plain zip (or nothing), and the zip's directory has to decide.
        return _guess_ooxml(uploaded)
    return kind.extension if kind is not None else None


def _guess_ooxml(uploaded):
    """filetype only reads the first bytes; an Office file written by some tools puts the part
    that names its kind further in, so look into the zip's directory."""
    import zipfile

    try:
        with zipfile.ZipFile(uploaded) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    finally:
        uploaded.seek(0)
    for prefix, ext in (("word/", "docx"), ("xl/", "xlsx"), ("ppt/", "pptx")):
        if any(n.startswith(prefix) for n in names) and "[Content_Types].xml" in names:
            return ext
    return None
