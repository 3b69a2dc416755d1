"""The pages of exam_sites, one module per sub-domain (``urls.py`` names them all):
``applications`` (the school's form, the reviewer's queue and decision, the detail page and PDF),
``sites`` (approved sites), ``announcements`` (announcements and rounds), ``batches`` (batches, adding
sessions, allocating seats), ``sessions`` (the session list, its PDF and .xlsx, moving a candidate).
"""
