"""Forms of the children's own voice. They validate; the views then call one service."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from goals.models import ActionPlan

from .models import Assessment, Question
from .pictures import SYMBOL_CHOICES

RECORDING_MAX_BYTES = 2 * 1024 * 1024
# What an uploaded recording must start with (checked, not trusted from the name).
RECORDING_SIGNATURES = {
    "wav": lambda head: head[:4] == b"RIFF" and head[8:12] == b"WAVE",
    "mp3": lambda head: head[:3] == b"ID3" or (head[0] == 0xFF and head[1] & 0xE0 == 0xE0),
    "ogg": lambda head: head[:4] == b"OggS",
    "m4a": lambda head: head[4:8] == b"ftyp",
    "webm": lambda head: head[:4] == b"\x1a\x45\xdf\xa3",
}


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
        if upload.size > RECORDING_MAX_BYTES:
            raise forms.ValidationError(_("The recording is larger than 2 MB."))
        suffix = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
        check = RECORDING_SIGNATURES.get(suffix)
        head = upload.read(16)
        upload.seek(0)
        if check is None or len(head) < 12 or not check(head):
            raise forms.ValidationError(_("Upload a sound file: WAV, MP3, OGG, M4A or WebM."))
        return upload


class SymbolForm(forms.Form):
    symbol = forms.ChoiceField(label=_("Picture"), choices=SYMBOL_CHOICES)


class AssessmentForm(forms.ModelForm):
    class Meta:
        model = Assessment
        fields = ["physical", "psychological", "aesthetic", "children_perspective", "action_plan"]
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
            "action_plan": _(
                "The action plan in the daycare's goals that follows up on the assessment."
            ),
        }

    def __init__(self, *args, institution, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action_plan"].queryset = ActionPlan.objects.filter(
            goal__institution=institution
        ).select_related("goal")
        self.fields["action_plan"].label_from_instance = lambda plan: f"{plan.goal}: {plan}"
