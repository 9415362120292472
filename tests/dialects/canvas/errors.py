"""The Canvas face's error bodies, as the tests pin them."""

FORBIDDEN = {"status": "unauthorized", "errors": [{"message": "user not authorized to perform that action"}]}
NOT_FOUND = {"errors": [{"message": "The specified resource does not exist."}]}
UNAUTHENTICATED = {"status": "unauthenticated", "errors": [{"message": "user authorization required"}]}
INVALID_TOKEN = {"errors": [{"message": "Invalid access token."}]}
