"""Second-factor devices in Django's admin, audit-logged like every admin change: a superuser
removes the authenticator of somebody who lost their phone, who then sets up a new one at their
next sign-in with the password."""

from django.contrib import admin
from django_otp.plugins.otp_static.admin import StaticDeviceAdmin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from civitas.core.admin_audit import AuditedAdmin

for _model, _admin in [(TOTPDevice, TOTPDeviceAdmin), (StaticDevice, StaticDeviceAdmin)]:
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
    admin.site.register(
        _model, type(f"Audited{_admin.__name__}", (AuditedAdmin, _admin), {"__module__": __name__})
    )
