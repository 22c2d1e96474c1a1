from .practice import (
    PracticeDocument,
    PracticeFund,
    PracticeImage,
    PracticeIndexPage,
    PracticeLink,
    PracticePage,
    PracticeStatus,
)
from .review import ChangesRequestedForm, PracticeReviewTask
from .taxonomy import (
    Action,
    City,
    Country,
    Fund,
    GovernanceLevel,
    Partnership,
    PopulationBand,
    TargetGroup,
    TaxonomyTerm,
    Theme,
)

__all__ = [
    "Action",
    "ChangesRequestedForm",
    "City",
    "Country",
    "Fund",
    "GovernanceLevel",
    "Partnership",
    "PopulationBand",
    "PracticeDocument",
    "PracticeFund",
    "PracticeImage",
    "PracticeIndexPage",
    "PracticeLink",
    "PracticePage",
    "PracticeReviewTask",
    "PracticeStatus",
    "TargetGroup",
    "TaxonomyTerm",
    "Theme",
]
