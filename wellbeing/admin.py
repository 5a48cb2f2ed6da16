from django.contrib import admin

from .models import Assessment, Question, Session, Tally


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["text", "municipality", "kind", "dimension", "position", "is_active"]
    list_filter = ["municipality", "kind", "dimension"]
    search_fields = ["text"]


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    # Sessions show counts only; the answers and the pseudonym links stay out of the admin.
    list_display = ["group", "institution", "year", "started_at", "closed_at", "respondents"]
    list_filter = ["year"]
    raw_id_fields = ["group", "institution", "started_by", "closed_by"]


@admin.register(Tally)
class TallyAdmin(admin.ModelAdmin):
    list_display = ["session", "question_text", "sad", "neutral", "happy"]


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ["institution", "year", "status", "completed_on"]
    list_filter = ["status", "year"]
