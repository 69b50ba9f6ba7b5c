"""The verdict on one pair of articles: how much of one derives from the other, how, which
came first, and on what evidence.

Shared passages (:mod:`.passages`) and aligned sentences (:mod:`.sentence_align`) are
measured into features (:mod:`.features`); small calibrated models (:mod:`.models`, fitted by
:mod:`.calibrate`, scored by :mod:`.accuracy` beside :mod:`.baseline`) grade extent and form;
shared quotes and boilerplate are discounted (:mod:`.discount`); :mod:`.direction` decides
which article is the source.
"""
