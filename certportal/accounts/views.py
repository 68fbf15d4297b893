from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from certportal.forms import search_terms
from certportal.net import client_ip
from certportal.permissions import role_required
from certportal.redirects import SafeNextMixin, keep_posted_next_safe
from certportal.workflow.views import run_action, run_form

from . import services
from .forms import (
    EmailLoginForm,
    LanguageForm,
    PortalPasswordChangeForm,
    PortalSetPasswordForm,
    ReasonForm,
    RegistrationForm,
    StaffForm,
)
from .models import Role, User, UserRole


class LoginView(SafeNextMixin, auth_views.LoginView):
    form_class = EmailLoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class LogoutView(SafeNextMixin, auth_views.LogoutView):
    pass


@login_not_required
def register(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = RegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        services.registration_submit(
            email=d["email"], full_name=d["full_name"], password=d["password1"], phone=d["phone"],
            language=request.LANGUAGE_CODE if request.LANGUAGE_CODE in dict(settings.LANGUAGES) else "id",
        )
        request.session["registered_email"] = d["email"]
        return redirect("accounts:register-sent")
    return render(request, "accounts/register.html", {
        "form": form, "title": _("Register as an applicant"), "submit_label": _("Register"),
    })


@login_not_required
def register_sent(request):
    """The one answer to a registration, whether the address was new or already had an account."""
    email = request.session.get("registered_email")
    if not email:
        return redirect("accounts:register")
    return render(request, "accounts/register_sent.html", {"email": email})


@login_not_required
def confirm_email(request, token: str):
    return run_action(request, lambda data: services.user_confirm_email(
        token=token, max_age=settings.EMAIL_CONFIRMATION_MAX_AGE),
        success=lambda user: _("Thank you, your e-mail address %(email)s is confirmed.") % {"email": user.email},
        redirect_to="home" if request.user.is_authenticated else "accounts:login")


@require_POST
def resend_confirmation(request):
    if request.user.email_verified:
        return redirect("home")
    return run_action(request, lambda data: services.send_email_confirmation(request.user),
                      success=_("A new confirmation link is on its way to %(email)s.") % {"email": request.user.email},
                      redirect_to="home")


@login_not_required
@require_POST
def set_language(request):
    """Switch language; for a logged-in user the choice is saved on the account."""
    form = LanguageForm(request.POST)
    if form.is_valid() and request.user.is_authenticated:
        services.user_set_language(user=request.user, language=form.cleaned_data["language"])
    keep_posted_next_safe(request)  # Django's view follows it: only ever to a page of this site
    return django_set_language(request)


@role_required(Role.LSP_ADMIN)
def staff_list(request):
    qs = User.objects.filter(role_links__role__in=[r.value for r in Role if r != Role.APPLICANT]).distinct()
    role = request.GET.get("role", "")
    if role in Role.values:
        qs = qs.filter(role_links__role=role)
    q = search_terms(request)
    if q:
        from django.db.models import Q

        qs = qs.filter(Q(full_name__icontains=q) | Q(email__icontains=q))
    qs = qs.prefetch_related(Prefetch("role_links", queryset=UserRole.objects.order_by("role"))).order_by(
        "-is_active", "full_name")
    page = Paginator(qs, 50).get_page(request.GET.get("page"))
    return render(request, "accounts/staff_list.html", {
        "page": page, "roles": [r for r in Role if r != Role.APPLICANT], "role": role, "q": q,
    })


@role_required(Role.LSP_ADMIN)
def staff_create(request):
    return run_form(request, StaffForm(request.POST or None), lambda d: services.staff_create(
        actor=request.user, email=d["email"], full_name=d["full_name"], phone=d["phone"], roles=d["roles"],
        language=d["preferred_language"], extra=d),
        success=lambda user: _("Account created for %(name)s; a link to set a password was e-mailed.")
        % {"name": user.full_name},
        redirect_to="accounts:staff-list", template="accounts/staff_form.html",
        context={"title": _("New staff account")})


@role_required(Role.LSP_ADMIN)
def staff_edit(request, pk: int):
    user = get_object_or_404(User, pk=pk)
    return run_form(request, StaffForm(request.POST or None, instance=user), lambda d: services.staff_update(
        actor=request.user, user=user, full_name=d["full_name"], phone=d["phone"],
        roles=d["roles"] + ([Role.APPLICANT] if Role.APPLICANT in user.roles else []),
        language=d["preferred_language"], extra=d),
        success=_("Changes saved."), redirect_to="accounts:staff-list", template="accounts/staff_form.html",
        context=lambda: {"title": _("Edit %(name)s") % {"name": user.full_name}, "target": user,
                         "reason_form": ReasonForm()})


@role_required(Role.LSP_ADMIN)
@require_POST
def staff_set_active(request, pk: int):
    user = get_object_or_404(User, pk=pk)
    form = ReasonForm(request.POST)
    active = request.POST.get("active") == "1"

    def set_active(data):
        if not form.is_valid():
            raise services.AccountError(_("Please give a reason."))
        return services.user_set_active(actor=request.user, user=user, active=active,
                                        reason=form.cleaned_data["reason"])

    return run_action(request, set_active,
                      success=_("%(name)s is now active.") % {"name": user.full_name} if active
                      else _("%(name)s is now deactivated.") % {"name": user.full_name},
                      redirect_to="accounts:staff-list",
                      error_redirect=reverse("accounts:staff-edit", kwargs={"pk": user.pk}))


password_reset = auth_views.PasswordResetView.as_view(
    template_name="accounts/password_reset.html",
    email_template_name="accounts/email/password_reset_body.txt",
    subject_template_name="accounts/email/password_reset_subject.txt",
    success_url=reverse_lazy("accounts:password-reset-done"),
)
password_reset_done = auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html")
password_reset_confirm = auth_views.PasswordResetConfirmView.as_view(
    template_name="accounts/password_reset_confirm.html", form_class=PortalSetPasswordForm,
    success_url=reverse_lazy("accounts:password-reset-complete"),
)
password_reset_complete = auth_views.PasswordResetCompleteView.as_view(
    template_name="accounts/password_reset_complete.html"
)
password_change = auth_views.PasswordChangeView.as_view(
    template_name="accounts/password_change.html", form_class=PortalPasswordChangeForm,
    success_url=reverse_lazy("home"),
)


def personal_data(request):
    """Everything the portal keeps about the person asking, as one ZIP (UU 27/2022); every download is audited."""
    if request.method != "POST":
        return render(request, "accounts/personal_data.html")
    from django.http import HttpResponse

    from certportal import personal_data as registry
    from certportal.audit.services import audit_record

    user = request.user
    archive, counts = registry.build_zip(user)
    audit_record(actor=user, obj=user, action="personal data exported", ip_address=client_ip(request),
                 note=", ".join(f"{key}: {n}" for key, n in counts.items()))
    response = HttpResponse(archive, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="data-pribadi-{user.pk}.zip"'
    response["Cache-Control"] = "private, no-store"
    return response
