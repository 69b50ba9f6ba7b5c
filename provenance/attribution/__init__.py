"""What an article says of where its text came from: the credits it prints.

The registry of news agencies (:mod:`.agencies`) names who a credit can name, in every
spelling we know; :mod:`.credits` finds the datelines, bylines, sign-offs, attributions and
release lines that name them. Lineage and the CI policy read these credits; the verdict on a
pair does not.
"""
