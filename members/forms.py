"""Forms of the member pages. They check the shape of the input; who may do what and the rules
of the tree are decided by ``members.services``, whose errors the views put back on the form."""

from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.utils.translation import gettext_lazy as _

from unionproj.inputs import CleanInputMixin

from .enums import JurorKind, Role, UnionLevel


class LoginForm(CleanInputMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": _("用户名或密码不正确，请重新输入（注意区分大小写）。"),
        "inactive": _("该账号已停用，请联系管理员。"),
    }

    def get_invalid_login_error(self):
        """The wrong-password message, and how many tries are left before the lockout:
        django-axes counted this failure on the request (no query)."""
        error = super().get_invalid_login_error()
        failures = getattr(self.request, "axes_failures_since_start", None)
        if failures is None:
            return error
        left = settings.AXES_FAILURE_LIMIT - failures
        if left <= 0:
            return error
        warning = ValidationError(
            _("还可尝试 %(n)s 次，之后该账号将在本地址被锁定 1 小时。"), code="attempts_left", params={"n": left}
        )
        return ValidationError([error, warning])


class UnionChoiceField(forms.ModelChoiceField):
    """A union picker that shows the tree by indenting each name by its depth."""

    def label_from_instance(self, obj):
        return "\u3000" * obj.depth + obj.name


class UnionForm(CleanInputMixin, forms.Form):
    name = forms.CharField(label=_("名称"), max_length=120)
    short_name = forms.CharField(label=_("简称"), max_length=40, required=False)
    level = forms.ChoiceField(label=_("层级"), choices=UnionLevel.choices)
    parent = UnionChoiceField(label=_("上级工会"), queryset=None, required=False, empty_label=_("（无上级）"))

    def __init__(self, *args, parents, parent_required=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = parents
        self.fields["parent"].required = parent_required
        if parent_required:
            self.fields["parent"].empty_label = None

    def clean_name(self):
        return self.cleaned_data["name"].strip()

    def clean_short_name(self):
        return self.cleaned_data["short_name"].strip()


class UserForm(CleanInputMixin, forms.Form):
    username = forms.CharField(
        label=_("用户名"), max_length=150,
        help_text=_("登录用，只能包含字母、数字和 @/./+/-/_。"),
        validators=[UnicodeUsernameValidator()],
    )
    name = forms.CharField(label=_("姓名"), max_length=60, required=False)
    phone = forms.CharField(label=_("手机"), max_length=20, required=False)
    email = forms.EmailField(label=_("电子邮箱"), required=False)
    union = UnionChoiceField(label=_("所在工会"), queryset=None, required=False, empty_label=_("（无）"))
    roles = forms.MultipleChoiceField(
        label=_("角色"), choices=Role.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    juror_kind = forms.ChoiceField(
        label=_("评委类别"), choices=[("", "—")] + list(JurorKind.choices), required=False
    )
    password = forms.CharField(
        label=_("密码"), required=False, strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    is_active = forms.BooleanField(label=_("启用"), required=False, initial=True)

    def __init__(self, *args, unions, editing=False, password_locked=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.editing = editing
        self.fields["union"].queryset = unions
        if password_locked:
            # A juror seated on a roadshow not yet finalised: a reset link, never a password.
            del self.fields["password"]
        elif editing:
            # The username is the login name; it is not changed here.
            self.fields["username"].disabled = True
            self.fields["password"].help_text = _("留空则不修改密码。")
        else:
            self.fields["password"].required = True

    def clean_password(self):
        password = self.cleaned_data.get("password")
        if password:
            validate_password(password)
        return password


class UserFilterForm(CleanInputMixin, forms.Form):
    q = forms.CharField(label=_("搜索"), required=False,
                        widget=forms.TextInput(attrs={"placeholder": _("用户名、姓名或手机")}))
    role = forms.ChoiceField(label=_("角色"), choices=[("", _("全部角色"))] + list(Role.choices), required=False)
    union = UnionChoiceField(label=_("工会"), queryset=None, required=False, empty_label=_("全部工会"))

    def __init__(self, *args, unions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["union"].queryset = unions


def add_service_error(form, exc):
    """Put a service's ``ValidationError`` on the form: on the field it names when the form has
    that field, otherwise on the form as a whole."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)
