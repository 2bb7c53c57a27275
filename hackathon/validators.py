# The site's one rule for pull-request URLs lives in common.validators; migration 0002 refers to
# this module's name for it.
from common.validators import canonical_pull_request_url, validate_pull_request_url

__all__ = ["canonical_pull_request_url", "validate_pull_request_url"]
