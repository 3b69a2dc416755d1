"""The forms of exam_sites, one module per sub-domain (import from the module, not from here):
``applications`` (the paper form and the review), ``announcements`` (announcements and rounds),
``batches``, ``sessions``, ``seats`` (allocate, move); ``common`` holds the shared date and time widgets.
"""
