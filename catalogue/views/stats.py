def statistics(request):
    raise NotImplementedError  # owned by the search/stats helper
