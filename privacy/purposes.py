"""Why pages look up personal data: the purposes shown to guardians in "My data".

Kept here, in the privacy app's catalogue, so every app logs with the same words. Stored
as the English text (gettext_noop) and translated when shown.
"""

from django.utils.translation import gettext_noop

CHILDREN_LIST = gettext_noop("List of the daycare's children")
CHILD_PAGE = gettext_noop("The child's page with guardians")
CHILD_ADDED = gettext_noop("Child added to the daycare")
GUARDIAN_INVITED = gettext_noop("Guardian invited")
CONVERSATION = gettext_noop("Conversation with the family")
