"""Chinese text uses full-width punctuation: ，；：？！（） and “” — never , ; : ? ! ( ) between Chinese.

The rule is the one of scripts/fullwidth.py (which rewrites the sources); these tests scan the
Chinese catalogue (the msgids of locale/en/LC_MESSAGES/django.po) and every template with it.
This file keeps half-width samples on purpose. fullwidth: skip-file
"""

import importlib.util
import sys

import pytest
from django.conf import settings as django_settings
from django.template import Context, Template

from unionproj.text import quoted

from .test_i18n import PO_FILE, parse_po

ROOT = django_settings.BASE_DIR


def _load_script():
    spec = importlib.util.spec_from_file_location("fullwidth", ROOT / "scripts" / "fullwidth.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("fullwidth", module)
    spec.loader.exec_module(module)
    return module


fullwidth = _load_script()


# --- the rule ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("before", "after"), [
    ("您好,夏敏", "您好，夏敏"),
    ("特发此证,以资鼓励。", "特发此证，以资鼓励。"),
    ("确认提交?提交后不能修改。", "确认提交？提交后不能修改。"),
    ("请稍后再试;问题持续时请联系管理员!", "请稍后再试；问题持续时请联系管理员！"),
    ("截止日期:%(due)s", "截止日期：%(due)s"),
    ("您好,%(name)s", "您好，%(name)s"),
    ("%(n)s,请检查。", "%(n)s，请检查。"),
    ("申请经费(元)", "申请经费（元）"),
    ("名额比例(%%)", "名额比例（%%）"),
    ("%(name)s均分(%(max)s)", "%(name)s均分（%(max)s）"),
    ("确认删除附件“%(name)s”?", "确认删除附件“%(name)s”？"),
    ('点击"提交"按钮', "点击“提交”按钮"),
    ("文件不是有效的 Excel(.xlsx)工作簿。", "文件不是有效的 Excel（.xlsx）工作簿。"),
])
def test_half_width_punctuation_in_chinese_becomes_full_width(before, after):
    assert fullwidth.convert(before) == after
    assert fullwidth.convert(after) == after  # running it again changes nothing


@pytest.mark.parametrize(("text", "kept"), [
    ("时间 08:00 至 17:30,共 3.5 小时", "08:00 至 17:30"),
    ("详见 https://example.org/a?b=1 页面", "https://example.org/a?b=1"),
    ("领域; omitted or empty: the default five from the seeds.", "; omitted or empty: the"),
    ("Submit (申报) a draft", "(申报)"),
    ("支持 pdf、doc(x)、ppt(x)", "doc(x)、ppt(x)"),
    ('{"tiers": {"一等": 2}, "projects": [ids]}', '{"tiers": {"一等": 2}, "projects": [ids]}'),
    ("名额 %(n)s (%(p)s%%)", "%(n)s (%(p)s%%)"),
    ("请补充&lt;b&gt;预算明细&lt;/b&gt;", "&lt;b&gt;预算明细&lt;/b&gt;"),
    ("Hello, world (no Chinese here): fine?", "Hello, world (no Chinese here): fine?"),
])
def test_code_urls_times_entities_english_and_placeholders_stay(text, kept):
    assert kept in fullwidth.convert(text)


def test_templates_keep_their_tags_and_attributes():
    source = ('<a href="{% url \'x\' %}?y={{ y }}" title="提示:{{ t }}" data-confirm="{% translate \'确认?\' %}">'
              '{% blocktranslate with n=x|date:"H:i" %}共 {{ n }} 个,请确认{% endblocktranslate %}</a>'
              '{% translate "状态" %}:{{ s }}<script>if (a) { b("中,文"); }</script>')
    converted = fullwidth.convert_template(source)
    assert converted == (
        '<a href="{% url \'x\' %}?y={{ y }}" title="提示：{{ t }}" data-confirm="{% translate \'确认？\' %}">'
        '{% blocktranslate with n=x|date:"H:i" %}共 {{ n }} 个，请确认{% endblocktranslate %}</a>'
        '{% translate "状态" %}：{{ s }}<script>if (a) { b("中,文"); }</script>')
    Template("{% load i18n %}" + converted)  # still a valid template


def test_python_strings_change_but_code_docstrings_fstring_fields_and_raw_strings_do_not():
    source = (
        'def f(x):\n'
        '    """说明(见下)。"""\n'
        '    # 注释,不变\n'
        '    a = _("您好,%(n)s") % {"n": x}\n'
        '    b = f"共 {x:,} 个,{x!r}"\n'
        '    c = r"[,,;]中"\n'
        '    return a, b, c, "年度:" + \'请确认\\"提交\\"吗?\'\n'
    )
    converted = fullwidth.convert_python(source)
    assert converted == (
        'def f(x):\n'
        '    """说明(见下)。"""\n'
        '    # 注释,不变\n'
        '    a = _("您好，%(n)s") % {"n": x}\n'
        '    b = f"共 {x:,} 个，{x!r}"\n'
        '    c = r"[,,;]中"\n'
        '    return a, b, c, "年度：" + \'请确认“提交”吗？\'\n'
    )
    compile(converted, "sample.py", "exec")


def test_po_rewrite_touches_msgids_only_and_keeps_the_line_layout():
    source = ('#, python-format\n'
              'msgid ""\n'
              '"第一行,"\n'
              '"第二行(%(n)s)"\n'
              'msgstr "First, second (%(n)s)"\n')
    assert fullwidth.convert_po(source) == ('#, python-format\n'
                                            'msgid ""\n'
                                            '"第一行，"\n'
                                            '"第二行（%(n)s）"\n'
                                            'msgstr "First, second (%(n)s)"\n')


# --- the sources ------------------------------------------------------------------------------


def test_chinese_catalogue_has_no_half_width_punctuation_in_chinese():
    wrong = [e["msgid"] for e in parse_po(PO_FILE)
             if fullwidth.convert(e["msgid"]) != e["msgid"]
             or (e["msgid_plural"] and fullwidth.convert(e["msgid_plural"]) != e["msgid_plural"])]
    assert wrong == [], f"run scripts/fullwidth.py: {wrong}"


def test_templates_have_no_half_width_punctuation_in_chinese():
    templates = fullwidth.template_files()
    assert any("exports/pdf" in str(path) for path in templates)  # the PDF documents too
    wrong = []
    for path in templates:
        text = path.read_text(encoding="utf-8")
        for number, old, new in fullwidth.changed_lines(text, fullwidth.convert_template(text)):
            wrong.append(f"{path.relative_to(ROOT)}:{number}: {old.strip()}")
    assert wrong == [], "run scripts/fullwidth.py:\n" + "\n".join(wrong)


def test_the_sources_are_already_rewritten():
    """Python strings, templates and the catalogue: the script has nothing left to do."""
    left = [str(path.relative_to(ROOT)) for path, _old, _new in fullwidth.planned_changes()]
    assert left == [], f"run scripts/fullwidth.py: {left}"


# --- quoted -----------------------------------------------------------------------------------


def test_quoted_wraps_a_name_in_chinese_quotes():
    assert quoted("职工书屋建设项目") == "“职工书屋建设项目”"


@pytest.mark.parametrize("title", ["“澄江工匠”职工技能提升行动", "打造“澄江工匠”品牌", "“澄江工匠”"])
def test_quoted_never_nests_quotes(title):
    assert quoted(title) == title
    assert "““" not in quoted(title) and "””" not in quoted(title)


def test_quoted_is_safe_for_html_and_lazy_text():
    from django.utils.functional import lazy

    assert quoted(lazy(lambda: "年度项目", str)()) == "“年度项目”"
    assert quoted(None) == "“”"
    rendered = Template("{{ m }}").render(Context({"m": quoted("<b>项目</b>")}))
    assert rendered == "“&lt;b&gt;项目&lt;/b&gt;”"


# Placeholders that stand for our own labels (a status, an action, a column or field name): they
# never hold quotes, so the message may put “” round them. Anything else — a title, a name, a
# value someone typed — goes through quoted() / |quoted instead.
LABEL_MESSAGES = {
    "路演展评当前状态为“%(s)s”，不能执行此操作。",
    "路演展评当前状态为“%(s)s”，不能%(a)s。",
    "补贴当前状态为“%(s)s”，不能%(a)s。",
    "路演展评当前状态为“%(s)s”，不能评分。",
    "路演展评当前状态为“%(s)s”，不能退回评分表。",
    "缺少列“%(c)s”。",
    "缺少工作表“%(s)s”。",
    "项目当前状态为“%(s)s”，不能修改。",
    "项目当前状态为“%(s)s”，不能执行“%(a)s”。",
    "项目当前状态为“%(s)s”，不能提交中期报告。",
    "只有已结项的项目可以复制推广，该项目当前状态为“%(s)s”。",
    "推广计划已是“%(s)s”，不能退回“%(t)s”。",
    "只有被退回的项目可以重新开放提交；项目当前状态为“%(s)s”。",
    "提交申报前请填写“%(f)s”。",
    # the project and the roadshow go through quoted(); the action is a label
    "项目%(p)s是路演展评%(r)s（%(s)s）的路演项目，该路演定稿前不能执行“%(a)s”。",
}


def test_messages_quote_stored_names_with_quoted_not_round_the_placeholder():
    import re

    quoting = re.compile(r"“%\(\w+\)s”")
    wrong = []
    for entry in parse_po(PO_FILE):
        msgid = entry["msgid"]
        if quoting.search(msgid) and msgid not in LABEL_MESSAGES:
            # 路演%(r)s当前状态为“%(s)s”…: the status is a label, the names are not quoted here
            labels_only = all(m.group() == "“%(s)s”" for m in quoting.finditer(msgid))
            if not labels_only:
                wrong.append(msgid)
    assert wrong == [], f"use unionproj.text.quoted for these names: {wrong}"


def test_templates_quote_stored_names_with_the_filter():
    wrong = [str(path.relative_to(ROOT)) for path in fullwidth.template_files()
             if "“{{" in path.read_text(encoding="utf-8")]
    assert wrong == [], "use {% blocktranslate with t=…|quoted %} in " + ", ".join(wrong)
