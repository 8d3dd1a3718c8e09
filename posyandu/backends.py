"""Authentication backend that loads the user's scope with the user (one query per request)."""

from django.contrib.auth.backends import ModelBackend


class ScopedModelBackend(ModelBackend):
    def get_user(self, user_id):
        UserModel = self.__class__._user_model()
        try:
            user = UserModel._default_manager.select_related("posyandu__desa", "wilayah").get(pk=user_id)
        except UserModel.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None

    @staticmethod
    def _user_model():
        from django.contrib.auth import get_user_model

        return get_user_model()
