from django.contrib import admin

from .models import (
    ActionPlan,
    ActionStep,
    CurriculumEvaluation,
    CurriculumTheme,
    Evidence,
    FocusArea,
    ForumDecision,
    ForumDiscussion,
    LocalGoal,
    LocalPlan,
    Project,
    StrategyItem,
    StrategyPeriod,
)


@admin.register(CurriculumTheme)
class CurriculumThemeAdmin(admin.ModelAdmin):
    list_display = ["name", "version", "code", "position"]
    list_filter = ["version"]


class FocusAreaInline(admin.TabularInline):
    model = FocusArea
    extra = 0


@admin.register(StrategyPeriod)
class StrategyPeriodAdmin(admin.ModelAdmin):
    list_display = ["title", "municipality", "start_year", "end_year"]
    list_filter = ["municipality"]
    inlines = [FocusAreaInline]


@admin.register(StrategyItem)
class StrategyItemAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "focus_area", "deadline"]
    list_filter = ["kind"]
    raw_id_fields = ["focus_area"]


@admin.register(LocalPlan)
class LocalPlanAdmin(admin.ModelAdmin):
    list_display = ["__str__", "institution", "kind", "year"]
    raw_id_fields = ["institution"]


@admin.register(LocalGoal)
class LocalGoalAdmin(admin.ModelAdmin):
    list_display = ["title", "institution", "status", "review_on"]
    list_filter = ["status"]
    search_fields = ["title", "institution__name"]
    raw_id_fields = ["institution", "plan", "created_by"]
    filter_horizontal = ["themes"]


@admin.register(ActionPlan)
class ActionPlanAdmin(admin.ModelAdmin):
    list_display = ["title", "goal"]
    raw_id_fields = ["goal"]


@admin.register(ActionStep)
class ActionStepAdmin(admin.ModelAdmin):
    list_display = ["title", "plan", "owner", "due_on", "status"]
    list_filter = ["status"]
    raw_id_fields = ["plan", "owner", "source_decision"]


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "step", "added_at"]
    raw_id_fields = ["step", "added_by"]


@admin.register(CurriculumEvaluation)
class CurriculumEvaluationAdmin(admin.ModelAdmin):
    list_display = ["institution", "evaluated_on", "children_perspective"]
    raw_id_fields = ["institution", "recorded_by"]


@admin.register(ForumDiscussion)
class ForumDiscussionAdmin(admin.ModelAdmin):
    list_display = ["topic", "institution", "forum", "held_on"]
    list_filter = ["forum"]
    raw_id_fields = ["institution", "recorded_by"]


@admin.register(ForumDecision)
class ForumDecisionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "discussion", "due_on"]
    raw_id_fields = ["discussion", "responsible"]


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["title", "municipality", "owner_institution", "status"]
    list_filter = ["status"]
    raw_id_fields = ["municipality", "owner_institution", "strategy_item", "created_by"]
    filter_horizontal = ["institutions", "themes"]
