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
# Messaging
POST_PHOTO = gettext_noop("Choosing the children in a post's photo")
SHARED_INBOX = gettext_noop("The daycare's shared inbox")
WRITE_TO_FAMILIES = gettext_noop("Choosing families to write to")
POST_READERS = gettext_noop("Who has read a post")
FAMILIES_REACHED = gettext_noop("Families the daycare reaches")
# Place allocation
SIGNUP = gettext_noop("A sign-up for a daycare place")
WAITING_LIST = gettext_noop("The daycare's waiting list")
SIGNUPS_LIST = gettext_noop("The municipality's list of sign-ups")
NEAR_GUARANTEE = gettext_noop("Children near the place guarantee date")
OFFER = gettext_noop("Offering a place")
PAPER_SIGNUP = gettext_noop("Registering a sign-up handed in on paper")
SIGNUP_CHANGE = gettext_noop("Changing a sign-up for the family")
NEEDS_ASSESSMENT = gettext_noop("Assessing a child's special needs")
LETTER = gettext_noop("A letter about a daycare place")
MOVING_ON = gettext_noop("Children moving on to school or kindergarten")
# The children's own voice
WELLBEING_PICTURES = gettext_noop("The children's pictures in the wellbeing questionnaire")
RELATIONS_MAP = gettext_noop("The group's relations map")
WELLBEING_TABLET = gettext_noop("The wellbeing questionnaire on the tablet")
# The technical admin
TECHNICAL_SUPPORT = gettext_noop("Technical support of the portal")
# Onboarding
WORKBOOK_IMPORT = gettext_noop("The municipality's workbook imported from its own systems")
