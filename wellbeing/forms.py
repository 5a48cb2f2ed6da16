"""Forms of the children's own voice. They validate; the views then call one service."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import CountField
from core.plans import action_plans

from .models import Assessment, Question, check_recording
from .pictures import SYMBOL_CHOICES


class QuestionForm(forms.ModelForm):
    recording = forms.FileField(
        label=_("Recording"),
        required=False,
        help_text=_(
            "A recording of the question read aloud (WAV, MP3, OGG, M4A or WebM, at most "
            "2 MB). Without one, the portal speaks the text with its speech synthesiser."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": "audio/*"}),
    )
    remove_recording = forms.BooleanField(
        label=_("Remove the recording and use the speech synthesiser"), required=False
    )

    class Meta:
        model = Question
        fields = ["text", "kind", "dimension", "picture", "position", "is_active"]
        field_classes = {"position": CountField}
        widgets = {"text": forms.TextInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["position"].required = False
        self.fields["position"].help_text = _(
            "Questions are asked in this order (lowest first). Empty: last."
        )
        if self.instance.pk:
            # A question's kind is fixed once children may have answered it.
            del self.fields["kind"]
        else:
            del self.fields["remove_recording"]

    def clean_text(self):
        text = " ".join(self.cleaned_data["text"].split())
        if not text:
            raise forms.ValidationError(_("Write the question."))
        return text

    def clean_recording(self):
        upload = self.cleaned_data.get("recording")
        if not upload:
            return None
        check_recording(upload)
        return upload


class SymbolForm(forms.Form):
    symbol = forms.ChoiceField(label=_("Picture"), choices=SYMBOL_CHOICES)


class AssessmentForm(forms.ModelForm):
    class Meta:
        model = Assessment
        fields = ["physical", "psychological", "aesthetic", "children_perspective"]
        widgets = {
            "physical": forms.Textarea(attrs={"rows": 6}),
            "psychological": forms.Textarea(attrs={"rows": 6}),
            "aesthetic": forms.Textarea(attrs={"rows": 6}),
            "children_perspective": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "physical": _("Indoor and outdoor space, noise, light, toilets, the playground."),
            "psychological": _(
                "Friendships, being part of the community, the adults' tone, having a say, "
                "feeling safe, teasing."
            ),
            "aesthetic": _("How the rooms look and feel, decoration, the children's own work."),
        }

    action_plan_id = forms.TypedChoiceField(
        label=_("Action plan"),
        coerce=int,
        empty_value=None,
        required=False,
        help_text=_("The action plan in the daycare's goals that follows up on the assessment."),
    )

    def __init__(self, *args, institution, **kwargs):
        super().__init__(*args, **kwargs)
        # The daycare's plans come from the goals area through core.plans.
        plans = action_plans(owner_id=institution.pk)
        self.fields["action_plan_id"].choices = [("", "---------")] + [
            (plan.id, plan.label) for plan in plans.values()
        ]
        if self.instance.pk:
            self.fields["action_plan_id"].initial = self.instance.action_plan_id

    def save(self, commit=True):
        self.instance.action_plan_id = self.cleaned_data.get("action_plan_id")
        return super().save(commit)
