from django.urls import path

from .views import compare, discovery, editions, evaluations, opendata, preferences, providers, search, stats

app_name = "catalogue"

urlpatterns = [
    path("", editions.home, name="home"),
    path("editions/<int:pk>/", editions.edition_detail, name="edition"),
    path("editions/<int:pk>/export.<str:fmt>", editions.edition_export, name="edition_export"),
    path("editions/<int:pk>/compare/", compare.compare, name="compare"),
    path("editions/<int:pk>/ocds.json", opendata.edition_ocds, name="edition_ocds"),
    path("editions/<int:pk>/ocds-records.json", opendata.edition_ocds_records, name="edition_ocds_records"),
    path("items/<int:pk>/", editions.item_detail, name="item"),
    path("search/", search.search, name="search"),
    path("search/export.<str:fmt>", search.search_export, name="search_export"),
    path("providers/", providers.provider_list, name="providers"),
    path("providers/export.<str:fmt>", providers.provider_export, name="provider_export"),
    path("providers/<int:pk>/", providers.provider_detail, name="provider"),
    path("evaluations/", evaluations.evaluation_list, name="evaluations"),
    path("evaluations/export.<str:fmt>", evaluations.evaluation_export, name="evaluation_export"),
    path("statistics/", stats.statistics, name="statistics"),
    path("language/", preferences.choose_language, name="language"),
    path("display/", preferences.choose_display_mode, name="display_mode"),
    path("site-map/", discovery.site_map, name="site_map"),
    path("sitemap.xml", discovery.sitemap_index, name="sitemap"),
    path("sitemap-<slug:section>.xml", discovery.sitemap_section, name="sitemap_section"),
    path("robots.txt", discovery.robots_txt, name="robots"),
    path("feeds/editions.atom", discovery.edition_feed, name="feed"),
    path("feeds/<slug:region>/editions.atom", discovery.edition_feed, name="region_feed"),
]
