def compare(request, pk):
    raise NotImplementedError  # owned by the search/stats helper
