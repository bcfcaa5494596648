"""Published evaluation results as the public pages read them: the results page, an item's page, a provider's page."""

from catalogue.models import Evaluation


def published_results():
    """Every published evaluation with what a results table shows (contract, item, provider, body), newest first.

    Only Evaluation.objects.published() is public: an unpublished or withdrawn result is on no page."""
    return Evaluation.objects.published().with_contract().newest_first()
