"""The LSP admin's page for a scheme version's validation and reviews."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _

from certportal.accounts.models import Role
from certportal.permissions import role_required
from certportal.workflow.views import run_form

from .. import reviews
from ..forms import SchemeReviewForm
from ..models import Scheme


@role_required(Role.LSP_ADMIN)
def scheme_reviews(request, pk: int):
    scheme = get_object_or_404(Scheme, pk=pk)
    validated = scheme.reviews.filter(kind="validation").exists()
    form = SchemeReviewForm(request.POST or None, initial={"kind": "review" if validated else "validation"})
    return run_form(request, form, lambda d: reviews.review_record(actor=request.user, scheme=scheme, **d),
                    success=_("Recorded."), redirect_to=reverse("schemes:manage-scheme-reviews", args=[scheme.pk]),
                    template="schemes/manage/scheme_reviews.html",
                    context=lambda: {"scheme": scheme, "reviews": scheme.reviews.select_related("recorded_by")})
