"""The Categorize page's sections (issue #15): ``pages/categorize.py`` is a shell over these.

``common`` holds the page's session keys, labels and editor keys; ``overview`` the counts at the
top; ``review`` the labelling plan and the review table; ``rules`` the user's rules (form, test,
delete) and the default rules; ``reapply`` re-running the rules; ``own_categories`` the user's
categories. Widget keys (``cat_*``) are unchanged. What a save of the review table does is the
service's (``categorize.review_decision`` / ``save_review``).
"""
