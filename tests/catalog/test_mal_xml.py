"""Reading and writing MyAnimeList list exports: every field, every refusal."""

from __future__ import annotations

import datetime as dt
import gzip
import io

import pytest

from kansou.catalog.importers import mal_xml as mal_xml_module
from kansou.catalog.importers.mal_xml import (
    STATUS_FROM_MAL,
    STATUS_TO_MAL,
    MalEntry,
    MalXmlError,
    MalXmlTooLarge,
    parse_mal_xml,
    read_mal_file,
    read_upload,
    write_mal_xml,
)
from kansou.community.models import ListStatus, Priority
from tests.community.mal_files import anime, gzipped, mal_xml


def only_entry(data: bytes) -> MalEntry:
    export = parse_mal_xml(data)
    assert export.problems == []
    [entry] = export.entries
    return entry


class TestFields:
    def test_every_standard_field_is_read(self):
        entry = only_entry(
            mal_xml(
                anime(
                    5114,
                    "Fullmetal Alchemist: Brotherhood",
                    my_status="Watching",
                    my_score="10",
                    my_watched_episodes="30",
                    my_start_date="2021-03-04",
                    my_finish_date="0000-00-00",
                    my_rewatching="1",
                    my_rewatching_ep="7",
                    my_times_watched="2",
                    my_priority="HIGH",
                    my_comments="Edward & Al <3",
                    my_tags="shounen, favourite,,shounen",
                    update_on_import="0",
                    series_type="TV",
                    series_episodes="64",
                )
            )
        )

        assert entry == MalEntry(
            position=1,
            mal_id=5114,
            title="Fullmetal Alchemist: Brotherhood",
            status="watching",
            score=10,
            episodes_watched=30,
            started_on=dt.date(2021, 3, 4),
            finished_on=None,
            rewatching=True,
            rewatching_episode=7,
            times_rewatched=2,
            priority="high",
            tags="shounen, favourite",
            notes="Edward & Al <3",
            update_on_import=False,
            series_type="TV",
            series_episodes=64,
        )

    @pytest.mark.parametrize(
        ("text", "status"),
        [
            ("Watching", "watching"),
            ("Completed", "completed"),
            ("On-Hold", "on_hold"),
            ("Dropped", "dropped"),
            ("Plan to Watch", "plan_to_watch"),
            ("plan to watch", "plan_to_watch"),
            ("6", "plan_to_watch"),
        ],
    )
    def test_status_words_and_codes_map_to_list_statuses(self, text, status):
        assert only_entry(mal_xml(anime(1, my_status=text))).status == status

    def test_statuses_are_exactly_the_models_list_statuses(self):
        assert set(STATUS_TO_MAL) == set(ListStatus.values)
        assert set(STATUS_FROM_MAL.values()) == set(ListStatus.values)

    def test_priorities_are_the_models_priorities(self):
        assert only_entry(mal_xml(anime(1, my_priority="Medium"))).priority == Priority.MEDIUM

    def test_unknown_dates_are_none(self):
        entry = only_entry(mal_xml(anime(1, my_start_date="0000-00-00", my_finish_date="")))
        assert entry.started_on is None and entry.finished_on is None

    def test_optional_fields_may_be_missing(self):
        entry = only_entry(
            mal_xml(anime(1, omit=("my_tags", "my_priority", "update_on_import", "my_rewatching")))
        )
        assert (entry.tags, entry.priority, entry.update_on_import, entry.rewatching) == (
            "",
            "low",
            True,
            False,
        )

    def test_myinfo_user_name_is_kept(self):
        assert parse_mal_xml(mal_xml(anime(1), user_name="mai")).user_name == "mai"


class TestBadEntries:
    @pytest.mark.parametrize(
        ("fields", "field", "message"),
        [
            ({"my_start_date": "2021-02-30"}, "my_start_date", "expected a date YYYY-MM-DD"),
            ({"my_finish_date": "2021-03"}, "my_finish_date", "expected a date YYYY-MM-DD"),
            ({"my_status": "Binging"}, "my_status", "unknown value 'Binging'"),
            ({"my_score": "11"}, "my_score", "must be from 0 to 10, got 11"),
            ({"my_watched_episodes": "twelve"}, "my_watched_episodes", "expected a whole number"),
            ({"my_watched_episodes": "-1"}, "my_watched_episodes", "at least 0"),
            ({"my_rewatching": "maybe"}, "my_rewatching", "expected 0 or 1"),
        ],
    )
    def test_a_bad_field_rejects_its_entry_only_naming_position_and_field(
        self, fields, field, message
    ):
        export = parse_mal_xml(mal_xml(anime(1), anime(2, "Bad one", **fields), anime(3)))

        assert [entry.mal_id for entry in export.entries] == [1, 3]
        [problem] = export.problems
        assert (problem.position, problem.field, problem.mal_id) == (2, field, 2)
        assert message in problem.message
        assert str(problem).startswith("entry 2 (MAL id 2, 'Bad one'): " + field)

    def test_missing_or_bad_mal_id_is_reported(self):
        export = parse_mal_xml(
            mal_xml(anime(1, omit=("series_animedb_id",)), anime("abc"), anime(0))
        )
        assert export.entries == []
        assert [(p.position, p.field) for p in export.problems] == [
            (1, "series_animedb_id"),
            (2, "series_animedb_id"),
            (3, "series_animedb_id"),
        ]
        assert export.problems[0].message == "missing"

    def test_missing_status_is_reported(self):
        [problem] = parse_mal_xml(mal_xml(anime(1, omit=("my_status",)))).problems
        assert (problem.field, problem.message) == ("my_status", "missing")


class TestRefusedFiles:
    def test_malformed_xml_names_line_and_column(self):
        with pytest.raises(MalXmlError, match=r"Malformed XML at line 3, column \d+"):
            parse_mal_xml(b"<?xml version='1.0'?>\n<myanimelist>\n<anime></myanimelist>")

    def test_a_document_that_is_not_a_mal_export_is_refused(self):
        with pytest.raises(MalXmlError, match="root element is <rss>"):
            parse_mal_xml(b"<rss><channel/></rss>")

    def test_a_manga_list_is_refused(self):
        data = b"<myanimelist><myinfo/><manga><manga_mangadb_id>2</manga_mangadb_id></manga>"
        with pytest.raises(MalXmlError, match="manga list"):
            parse_mal_xml(data + b"</myanimelist>")

    def test_billion_laughs_is_refused_before_any_expansion(self):
        lol = (
            '<!DOCTYPE lolz [<!ENTITY lol "lol">'
            + "".join(
                f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">'
                for i in range(1, 10)
            )
            + "]>\n"
        )
        data = mal_xml(anime(1, "&lol9;"), prologue=lol).replace(b"<![CDATA[&lol9;]]>", b"&lol9;")
        with pytest.raises(MalXmlError, match="Refused: the XML declares a DTD"):
            parse_mal_xml(data)

    def test_external_entity_is_refused(self, tmp_path):
        secret = tmp_path / "secret.txt"
        secret.write_text("top secret")
        prologue = f'<!DOCTYPE m [<!ENTITY xxe SYSTEM "file://{secret}">]>\n'
        data = mal_xml(anime(1, "x"), prologue=prologue).replace(b"<![CDATA[x]]>", b"&xxe;")
        with pytest.raises(MalXmlError, match="Refused") as refused:
            parse_mal_xml(data)
        assert "top secret" not in str(refused.value)

    def test_a_bare_doctype_is_refused_too(self):
        with pytest.raises(MalXmlError, match="Refused"):
            parse_mal_xml(mal_xml(anime(1), prologue="<!DOCTYPE myanimelist>\n"))


class TestUploadLimits:
    def test_gzipped_export_reads_like_plain_xml(self):
        data = mal_xml(anime(1), anime(2))
        assert read_upload(io.BytesIO(gzipped(data))) == data
        assert len(read_mal_file(io.BytesIO(gzipped(data))).entries) == 2

    def test_file_larger_than_the_compressed_cap_is_refused(self):
        with pytest.raises(MalXmlError, match="larger than"):
            read_upload(io.BytesIO(b"x" * 101), max_compressed=100)

    def test_plain_xml_larger_than_the_uncompressed_cap_is_refused(self):
        with pytest.raises(MalXmlError, match="XML is larger than"):
            read_upload(io.BytesIO(b"x" * 101), max_compressed=1000, max_uncompressed=100)

    def test_gzip_bomb_stops_at_the_uncompressed_cap(self):
        bomb = gzip.compress(b"\0" * (20 * 1024 * 1024))  # 20 MB of zeros, ~20 kB gzipped
        assert len(bomb) < 100_000
        with pytest.raises(MalXmlError, match="uncompressed XML is larger than 1 MB"):
            read_upload(io.BytesIO(bomb), max_uncompressed=1024 * 1024)

    def test_truncated_gzip_is_a_clear_error(self):
        broken = gzipped(mal_xml(anime(1)))[:-12]
        with pytest.raises(MalXmlError, match="cannot be decompressed"):
            read_upload(io.BytesIO(broken))


class TestWorkBounds:
    """Past a cap reading stops there: the work done is bounded by the caps, not the file."""

    @pytest.fixture
    def parsed(self, monkeypatch):
        """Counts the entries read and the bytes the gzip stream gave the parser."""
        counts = {"entries": 0, "unzipped": 0}
        read_entry, read_bytes = mal_xml_module._entry, mal_xml_module._Capped.read

        def entry(position, element):
            counts["entries"] += 1
            return read_entry(position, element)

        def read(self, size=-1):
            data = read_bytes(self, size)
            counts["unzipped"] += len(data) if isinstance(self.stream, gzip.GzipFile) else 0
            return data

        monkeypatch.setattr(mal_xml_module, "_entry", entry)
        monkeypatch.setattr(mal_xml_module._Capped, "read", read)
        return counts

    def test_more_entries_than_the_cap_stop_at_the_cap(self, parsed):
        data = gzipped(entries_xml(50))
        with pytest.raises(MalXmlTooLarge, match="more than 20 entries"):
            read_mal_file(io.BytesIO(data), max_entries=20)
        assert parsed["entries"] == 20

    def test_a_gzip_bomb_stops_after_the_uncompressed_cap(self, parsed):
        notes = "x" * (20 * 1024 * 1024)
        bomb = gzipped(mal_xml(anime(1, my_comments=notes)))
        assert len(bomb) < 100_000
        with pytest.raises(MalXmlTooLarge, match="uncompressed XML is larger than 1 MB"):
            read_mal_file(io.BytesIO(bomb), max_uncompressed=1024 * 1024)
        assert 0 < parsed["unzipped"] <= 1024 * 1024 + 1
        assert parsed["entries"] == 0

    def test_an_entry_with_too_many_elements_is_refused(self):
        data = mal_xml(anime(1).replace("</anime>", "<x/>" * 100 + "</anime>"))
        with pytest.raises(MalXmlTooLarge, match="Entry 1 has more than 64 elements"):
            parse_mal_xml(data)

    def test_deep_nesting_outside_entries_is_refused(self):
        data = b"<myanimelist>" + b"<a>" * 2000 + b"</a>" * 2000 + b"</myanimelist>"
        with pytest.raises(MalXmlTooLarge, match="elements outside its <anime> entries"):
            parse_mal_xml(data)

    def test_caps_are_errors_a_caller_can_tell_apart(self):
        assert issubclass(MalXmlTooLarge, MalXmlError)
        with pytest.raises(MalXmlTooLarge):
            read_upload(io.BytesIO(b"x" * 101), max_compressed=100)

    def test_entries_are_not_kept_in_a_tree(self):
        export = parse_mal_xml(entries_xml(3))
        assert [e.mal_id for e in export.entries] == [1, 2, 3]
        assert export.user_name == "ayaka"


def entries_xml(count: int) -> bytes:
    return mal_xml(*(anime(i) for i in range(1, count + 1)))


class TestWriting:
    def test_written_export_reads_back_to_the_same_entries(self):
        entries = [
            MalEntry(
                1,
                5114,
                "FMA: B",
                "watching",
                10,
                30,
                dt.date(2021, 3, 4),
                None,
                True,
                7,
                2,
                "high",
                "a, b",
                "Ed & Al <3 ]]>",
                True,
                "TV",
                64,
            ),
            MalEntry(2, 1, "Cowboy Bebop", "plan_to_watch", 0, 0, series_type="TV"),
        ]

        export = parse_mal_xml(write_mal_xml(entries, user_name="ayaka"))

        assert export.problems == []
        assert export.entries == entries
        assert export.user_name == "ayaka"

    def test_myinfo_counts_each_status(self):
        entries = [
            MalEntry(1, 1, "a", "completed", 0, 0),
            MalEntry(2, 2, "b", "completed", 0, 0),
            MalEntry(3, 3, "c", "plan_to_watch", 0, 0),
        ]
        xml = write_mal_xml(entries).decode()
        assert "<user_total_anime>3</user_total_anime>" in xml
        assert "<user_total_completed>2</user_total_completed>" in xml
        assert "<user_total_plantowatch>1</user_total_plantowatch>" in xml
        assert "<my_status>Plan to Watch</my_status>" in xml
        assert "<my_start_date>0000-00-00</my_start_date>" in xml


class TestWritingControlCharacters:
    """Finding 20: a character XML 1.0 forbids never reaches the file, so it always reads back."""

    def test_notes_with_control_characters_export_and_read_back(self):
        entry = MalEntry(1, 1, "Title\x0b", "completed", 8, 12, notes="Bell\x01 and\x1f tab\t")

        export = parse_mal_xml(write_mal_xml([entry], user_name="ayaka\x00"))

        assert export.problems == []
        [back] = export.entries
        assert (back.title, back.notes) == ("Title", "Bell and tab")
        assert export.user_name == "ayaka"

    def test_surrogates_and_non_characters_are_left_out_too(self):
        entry = MalEntry(1, 1, "a", "completed", 0, 0, tags="x\ud800y\ufffez\uffff")

        [back] = parse_mal_xml(write_mal_xml([entry])).entries

        assert back.tags == "xyz"
