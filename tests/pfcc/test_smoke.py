import pytest


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "expected"), [("zh-hans", "飞桨框架贡献者俱乐部"), ("en", "Paddle Framework")]
)
def test_home_page_speaks_both_languages(client, language, expected):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    assert expected in response.content.decode()
