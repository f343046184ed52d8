from django import forms
from django.utils.translation import gettext_lazy as _

from civitas.core import text

from .models import PostKind
from .services import MAX_BODY


class TopicForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(label=_("Your message"), widget=forms.Textarea(attrs={"rows": 6}), max_length=MAX_BODY,
                           help_text=_("You can use Markdown: **bold**, *italic*, lists and links."))  # fmt: skip

    def clean_title(self):
        # A line break in a title would end up in the notification e-mail's Subject header.
        title = text.one_line(self.cleaned_data["title"])
        if not title:
            raise forms.ValidationError(_("Give the topic a title."))
        return title


class PostForm(forms.Form):
    body = forms.CharField(label=_("Your reply"), widget=forms.Textarea(attrs={"rows": 5}), max_length=MAX_BODY,
                           help_text=_("You can use Markdown: **bold**, *italic*, lists and links."))  # fmt: skip
    parent = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ProjectPostForm(PostForm):
    kind = forms.ChoiceField(label=_("Kind"), choices=[(PostKind.COMMENT, _("Comment on progress")),
                                                       (PostKind.ISSUE, _("Report an issue"))])  # fmt: skip
    photo = forms.FileField(label=_("Photo (optional)"), required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)
