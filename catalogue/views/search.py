def search(request):
    raise NotImplementedError  # owned by the search/stats helper
