from storefront.accounts.passwords import password_problem


def test_a_password_under_ten_characters_is_refused_with_the_reason():
    assert password_problem("Xq7#pL2!") == "Use at least 10 characters."


def test_a_password_over_128_characters_is_refused_with_the_reason():
    assert password_problem("tr0mb0ne-" * 15) == "Use at most 128 characters."


def test_a_guessable_password_is_refused_with_the_reason():
    problem = password_problem("password123")
    assert problem is not None and problem.startswith("This password is too easy to guess.")


def test_a_password_made_of_the_users_own_email_is_refused():
    assert password_problem("ada.lovelace@example.com", ("ada.lovelace@example.com",))


def test_a_long_unusual_passphrase_is_accepted():
    assert password_problem("correct horse battery staple 42") is None
