app_name = "burden"

urlpatterns: list = []
