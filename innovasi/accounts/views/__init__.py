"""The accounts app's views, one module per subject: ``account`` (notifications, the password reset),
``setup`` (a fresh installation's set-up page, the invitation's set-password page), ``opds`` and
``users`` (the admin's pages of the region's OPDs and users, their imports)."""
