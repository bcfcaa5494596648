def provider_list(request):
    raise NotImplementedError  # owned by the public-site helper


def provider_detail(request, pk):
    raise NotImplementedError  # owned by the public-site helper
