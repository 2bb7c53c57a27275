"""Published results as CSV (common.csvsafe) and JSON, one record per shown entry: its rank in
its direction, scores, likes, views, prizes and certificates."""

from django.http import JsonResponse

from common.csvsafe import csv_response

RESULTS_CSV_HEADER = [
    "direction",
    "rank",
    "title",
    "entrant",
    "members",
    "app_url",
    "repository_url",
    "score",
    "scorecards",
    "likes",
    "views",
    "prizes",
    "certificates",
]


def result_records(ranking, absolute) -> list[dict]:
    """`ranking` from queries.ranking(); `absolute(path)` makes a full address."""
    records = []
    for group in ranking:
        for entry in group.entries:
            submission = entry.submission
            records.append(
                {
                    "direction": group.direction.name,
                    "rank": entry.rank,
                    "title": submission.title,
                    "entrant": submission.registration.name,
                    "members": [person.github for person in submission.registration.members.all()],
                    "url": absolute(submission.get_absolute_url()),
                    "app_url": submission.app_url,
                    "repository_url": submission.repository_url,
                    "score": format(submission.score, "f")
                    if submission.score is not None
                    else None,
                    "scorecards": submission.scorecard_count,
                    "likes": submission.like_count,
                    "views": submission.view_count,
                    "prizes": [award.prize.name for award in entry.awards],
                    "certificates": [
                        absolute(certificate.get_absolute_url())
                        for award in entry.awards
                        for certificate in award.certificates.all()
                    ],
                }
            )
    return records


def results_csv(contest, records):
    rows = []
    for record in records:
        rows.append(
            [
                record["direction"],
                record["rank"] if record["rank"] is not None else "",
                record["title"],
                record["entrant"],
                " ".join(record["members"]),
                record["app_url"],
                record["repository_url"],
                record["score"] or "",
                record["scorecards"],
                record["likes"],
                record["views"],
                "、".join(record["prizes"]),
                " ".join(record["certificates"]),
            ]
        )
    return csv_response(f"{contest.slug}-results.csv", RESULTS_CSV_HEADER, rows)


def results_json(contest, records):
    data = {
        "contest": contest.slug,
        "name": contest.name,
        "edition": contest.edition.number if contest.edition_id else None,
        "published_at": contest.published_at.isoformat() if contest.published_at else None,
        "directions": [direction.name for direction in contest.directions.all()],
        "results": records,
    }
    return JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
