app_name = "applicants"

urlpatterns: list = []
