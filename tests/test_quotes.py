"""Attribution: sentence -> who said the quotation in it (None: the article does not say).

Every row is a sentence an attribution rule was written for; a new rule adds its row here."""
from __future__ import annotations

import pytest

from bot.extract.pipeline import extract, sentence_spans
from bot.ingest.document import parse_document


def speakers(text: str, author: str | None = None) -> list[str | None]:
    body = "Kuril news\n" + (f"By {author}\n" if author else "") + text + "\n"
    return [q.speaker.name if q.speaker else None for q in extract(parse_document("t.txt", body, "0")).quotes]


@pytest.mark.parametrize("text, expected", [
    ('Foreign Minister Sergei Lavrov said, "We will not give the islands away."', ["Sergei Lavrov"]),
    ('"We will not give the islands away," said Foreign Minister Sergei Lavrov.', ["Sergei Lavrov"]),
    ('"The talks were frank and useful," Lavrov told reporters, adding that more would follow.', ["Lavrov"]),
    ('According to Dmitry Peskov, the Kremlin spokesman, "no deal is possible now."', ["Dmitry Peskov"]),
    ('The declaration "does not say on what grounds the islands are handed over," Putin was quoted as saying.',
     ["Putin"]),
    ('Russia holds that "the southern Kuril Islands belong to the Russian Federation legally."', ["Russia"]),
    ('"Moscow hears American bases on Shikotan," is how Kenji Sato, a retired diplomat, put it.', ["Kenji Sato"]),
    ('Stating that they "strongly protested" the step, Prime Minister Fumio Kishida left.', ["Fumio Kishida"]),
    ('The 1941 Cairo Declaration stipulating that Japan abandon all territories "taken by violence and greed."',
     ["Cairo Declaration"]),
    ('Anna Petrova was blunt: "Nothing will move this decade."', ["Anna Petrova"]),
    ('A group of twelve envoys, including Jan Novak of Prague and Ana Silva of Lisbon, said in a joint letter that'
     ' "the islands question must be settled by talks alone."', ["group of twelve envoys"]),
    ('Putin told journalists there was work ahead, but hailed the summit as "useful and substantial."', ["Putin"]),
    ('Japan protested. He said "the drills were unacceptable and must stop at once."', [None]),  # 'he' is a person
    # no one qualifies: kept, unattributed
    ('Trade ties had grown thanks to "a steady flow of goods across the strait."', [None]),
    ('Refusing to say more, the briefing ended with "a step forward in our relations."', [None]),
    ('Various comments were recorded, such as "we should propose this disposition to the allies."', [None]),
    ('President Boris Yeltsin met Prime Minister Morihiro Hosokawa in Tokyo. "On behalf of the Russian people, I would'
     ' like to express my apology," he told Hosokawa.', ["Boris Yeltsin"]),
    ('"Do not drink too much water before the long trip ashore," is the warning by co-founder Tatsuya Yoshioka.',
     ["Tatsuya Yoshioka"]),
    # two words after a determiner are a term; without one, after a speech verb, they are speech
    ('Kishida urged Russia to take a "constructive stance" on the matter.', []),
    # ... but not after another verb: real articles' annotators leave 'said he saw "no connection"' out (real8)
    ('Kremlin spokesman Dmitry Peskov responded that Moscow saw "no signals" of change.', []),
    ('Kremlin spokesman Dmitry Peskov responded that there were "no signals" of change.', ["Dmitry Peskov"]),
    # one sentence although the segmenter cuts 'Japan-U.S.'; 'claimed by China' is a passive, not speech
    ('After talks with Japanese Foreign Minister Seiji Maehara in Hawaii last week, U.S. Secretary of State Hillary'
     ' Clinton said that the Japanese-administered Senkaku Islands, claimed by China, in the East China Sea are'
     ' subject to the Japan-U.S. security treaty and the United States is "committed to obligations to protect" the'
     ' group of islets in case of a foreign attack.', ["Hillary Clinton"]),
    # institutions headed by a lower-case noun, with their modifiers; a role between an organisation and a name
    ('Russia\'s regional border patrol said he suffered a "fatal shot in the head."',
     ["Russia's regional border patrol"]),
    ('The Japanese coast guard said the boat had "entered Russian waters without any permission at all."',
     ["Japanese coast guard"]),
    ('"Don’t drink too much water, so you don’t have to go to the toilet too often," is the warning by Peace Boat'
     ' co-founder Tatsuya Yoshioka to the Japanese participants.', ["Tatsuya Yoshioka"]),
    # the clause before a quotation names the document whose wording it is
    ('The legal record matters: under the 1951 San Francisco Peace Treaty, Japan renounced “all right, title and claim'
     ' to the Kurile Islands,” but Tokyo maintains that the four southern islands were never part of the Kurils.',
     ["San Francisco Peace Treaty"]),
    ('Russian apologists like to cite the San Francisco Peace Treaty of 1951, in which Japan renounced “all right,'
     ' title and claim to the Kurile Islands.”', ["San Francisco Peace Treaty"]),
    ('Under the treaty, Lavrov said, "the islands became Russian forever and ever."', ["Lavrov"]),
    # a place that 'told' is reported by the person who speaks; a person who 'told' keeps the words
    ('Prime Minister Shinzo Abe spoke. Abe said Japan had told Russia the deployment “is contradictory to Japan’s'
     ' position” on the issue.', ["Shinzo Abe"]),
    ('President Vladimir Putin met Prime Minister Shinzo Abe. Abe said Putin had told him “we will not give them back,'
     ' not now.”', ["Vladimir Putin"]),
    ('Russia\'s ambassador was summoned to meet the Japanese vice foreign minister who told him that Kunashir was'
     ' "an integral part of Japanese territory".', ["Japanese vice foreign minister"]),
    # two words are a term unless right after the speech verb; an infinitive takes three as its object
    ('Lavrov said he saw "no connection" between the trip and relations.', []),
    ('The Japanese side said the visit would create "serious obstacles" in the bilateral relations.', []),
    ('Putin and Abe agreed Friday to launch "joint economic activities" on the islands.', []),
    # 'according to X' tells who 'she' is next
    ('Russia’s sovereignty is firm, according to Natalya Nikonorova, a member of the Federation Council. She emphasized'
     ' to TASS that "the legal status of the islands was secured after the war."', ["Natalya Nikonorova"]),
    # a pronoun in a clause put before the main one is the main clause's subject
    ('Russia is playing its card smartly. When he stated that “conditions are not yet ripe for a breakthrough,”'
     ' Russian Prime Minister Vladimir Putin made economic ties the priority.', ["Vladimir Putin"]),
    # an opening mark that another opens before any closes ('deal“') does not swallow the paragraph
    ('Regarding the May 13 article “Aso, Putin ink nuclear-power deal“: Russia is playing its card smartly. When he'
     ' stated that “conditions are not yet ripe for a breakthrough,” Russian Prime Minister Vladimir Putin made'
     ' economic ties the priority.', ["Vladimir Putin"]),
    # 'to quote X', 'in the words of X'; a source credit ('From "…"') is a work, not speech
    ('To quote Adolf Hitler of all people: "What good fortune for those in power, that people don\'t think!"',
     ["Adolf Hitler"]),
    ('In the words of Sergei Lavrov, "there is nothing to discuss at all."', ["Sergei Lavrov"]),
    ('The declaration is signed by Prime Minister Hatoyama. From "Showa Nimannichi no Zenkiroku vol.11"', []),
    # 'he' is the person the sentence began with, not the one quoted last
    ('Prime Minister Shinzo Abe met President Vladimir Putin. “Let\'s conclude a peace treaty before the end of this'
     ' year,” Putin said. Abe did not indicate whether Japan would sign such a deal, but he agreed that the lack of a'
     ' peace deal “is an abnormal state of affairs.”', ["Vladimir Putin", "Shinzo Abe"]),
    # British papers quote with straight single marks; an apostrophe is no mark
    ('Tokuhei Akibe stood up. \'The Kuriles are not Russian, and they are not Japanese either,\' said Mr Akibe. \'We'
     ' were the first inhabitants of these islands, and we don\'t forget it.\'', ["Tokuhei Akibe", "Tokuhei Akibe"]),
    ("It's Japan's view that the islanders' homes are 'inherent' parts of the nation.", []),
    # 'quotes X as saying', 'in his words'; 'the group's spokesman' is someone else; 'the Russian diplomat' the
    # Russian last named with a role; 'Some Russians' are no one's name
    ('Itar-Tass quotes Panov as saying his government is acting, in his words, "in the framework of promoting trust'
     ' between the two countries."', ["Panov"]),
    ('Shohei Yamamoto spoke. “Because we don’t have video footage of life on the islands, we cannot show people,” said'
     ' the group’s spokesman.', ["group’s spokesman"]),
    ('Russian Foreign Ministry spokeswoman Maria Zakharova spoke. "If these statements are used to set conditions, our'
     ' partners delay it," the Russian diplomat said at a briefing.', ["Maria Zakharova"]),
    ('Russian Transport Minister Maksim Sokolov landed. "We handed in a protest note on the visit today," the Japanese'
     ' minister said.', ["Japanese minister"]),
    # 'said a 64-year-old resident': lower-case words before the speaker noun belong to it (no earlier speaker)
    ('"We need to build," said Gennady Berezyuk, a journalist. "We invited Japanese to invest here, but they declined,"'
     ' said a 64-year-old resident of the island.', ["Gennady Berezyuk", "64-year-old resident"]),
    # an appositive whose closing comma is left out still names the speaker before it
    ('James Brown, a Russia-Japan expert at Temple University\'s Japan campus said "there are too many obstacles to'
     ' an agreement." Former diplomat Kazuhiko Togo said in a commentary that talks began in May.', ["James Brown"]),
    # the agent of a passive is whom the story turns to
    ('The meeting was opened by the Deputy of association Mr. Erodzuya Tsutomu. He told about the history and hoped'
     ' for a solution "on the basis of justice."', ["Erodzuya Tsutomu"]),
    # 'castigated … as an "empty and groundless" escalation'
    ('Kremlin Spokesman Dmitry Peskov castigated these statements as an "empty and groundless" escalation.',
     ["Dmitry Peskov"]),
    # a possessive before a noun of speech: the owner speaks
    ('The US has been cautious, as seen by former President Obama\'s repeated advice to Prime Minister Abe to "not'
     ' approach Putin," the analyst wrote.', ["Obama"]),
    ('Moscow recalled Putin\'s promise that "the islands will be developed as never before."', ["Putin"]),
    # a body's name in quotation marks is no one's words
    ('The center met a delegation of the public organization "Association of former residents of Chishima province'
     ' and Habomai Islands" (Japan).', []),
    # a long appositive role is still an aside
    ('Alexander Gabuev, senior fellow and chair of the Russia in Asia-Pacific Program at the Carnegie Moscow Center,'
     ' tweeted, "The policy of engaging Russia is pushed personally by Abe."', ["Alexander Gabuev"]),
    # after a quotation that ends its sentence, a speech verb with a clause of its own reports other words
    ('"This is Russian land," Medvedev said yesterday. "You need to visit the islands." Foreign minister Koichiro'
     ' Gemba said the visit had poured cold water on relations.', ["Medvedev", "Medvedev"]),
    ('"We will not give the islands away." Lavrov told reporters after talks with his counterpart.', ["Lavrov"]),
    # 'it' is the document the sentence before began with; a photo credit is no one
    ('A tank lies near a lighthouse, in an undated photo. Photo: AP. This year\'s Diplomatic Bluebook report comes at'
     ' a time of sanctions. "The greatest concern between Japan and Russia is the Northern Territories," it said.',
     ["Diplomatic Bluebook report"]),
    # 'according to Reuters, Abe has indicated that he "…"': Reuters reports, Abe speaks
    ('However, according to Reuters, Abe has indicated that he "has come to see a path toward resolution" on the'
     ' issue.', ["Abe"]),
    # ``…`` and ``…'' as old wire archives print quotation marks
    ("``No matter what happens, you cannot trust them 100 percent,`` said Rikio Kishimoto, 71, a leader. ``We want"
     " to get our message through,'' he added.", ["Rikio Kishimoto", "Rikio Kishimoto"]),
    # ″…″ and ''…'' as other archives print them
    ('″I’m sick of life here,″ said Natalya Popova, 32, boarding a relief flight. ″I’m taking my children away.″',
     ["Natalya Popova", "Natalya Popova"]),
    ("Yeltsin said Sunday that the Japanese prime minister had made ''an additional and interesting proposal'' but did"
     " not elaborate.", ["Yeltsin"]),
    # a page that opens on a quotation's closing mark; the speaker's name ends its sentence
    ('The general knowledge of time on the island depends on the direction of the wind" quipped John Millington'
     ' Synge. As the Russia-Ukraine War goes on, the winds are heating up.', ["John Millington Synge"]),
    # opened curly, closed straight
    ('Oxfam activists took part. Cathal McNaughton / Reuters\n“I will find Shinzo in Vladivostok with these," Russian'
     ' President Vladimir Putin remarked when Abe presented him with binoculars.', ["Vladimir Putin"]),
    # with nobody else in view, 'he' after a one-word speaker shows a person; never a country
    ('"We have touched upon the issues," Patrushev told reporters. "We have to create conditions for that," he said,'
     ' Sputnik reported.', ["Patrushev", "Patrushev"]),
    ('"The islands are ours," Japan said. "We have to create conditions for that," he said.', ["Japan", None]),
    # a feature's lead-in names its subject in capitals
    ('HIROSHI TOKUNO still remembers the stomp of army boots. When Soviet troops arrived in 1945, he recalls, "We'
     ' thought we would be killed."', ["Hiroshi Tokuno"]),
    # 'described by X as "…"' quotes X; two words after a speaker's quotation are no sentence of theirs
    ('In 2010 Medvedev became the first Russian leader to visit the islands, described by Japan\'s then prime'
     ' minister as "an unforgivable outrage".', ["Japan's then prime minister"]),
    ('"For me Russia is these islands", said Gomilevsky, mayor of Kunashir. "Russia forever".', ["Gomilevsky"]),
    # a time between the subject and its speech verb
    ('Moscow last month said it would drop the talks, as Tokyo was "striving to cause harm to the interest of our'
     ' country."', ["Moscow"]),
    # two words after 'described as' are a term
    ('Kaifu described as “extremely significant” an agreement he won from Gorbachev.', []),
    # 'informed' reports speech; a capitalised first word ending in -ing is no body 'it' could be
    ('"All responsibility rests upon Tokyo," the Foreign Ministry informed.', ["Foreign Ministry"]),
    ('The Russian Defense Ministry announced the deployment. "A camp has been organized on the island," the ministry'
     ' said. Supporting facilities were built on the island, it added. "The personnel began to carry out the duty,"'
     ' it said.', ["Russian Defense Ministry", "Russian Defense Ministry"]),
    # 'he' is the surname the sentence began with, even one the article has not named before
    ('"Let\'s conclude a peace treaty," Putin said. Abe did not indicate whether Japan would sign such a deal, but'
     ' he agreed that the lack of a peace deal "is an abnormal state of affairs."', ["Putin", "Abe"]),
    # 'Among' opens a clause: no name
    ('Prime Minister Fumio Kishida said, "We will continue to promote sanctions." Among other things, he added,'
     ' "Japan-Russia relations face difficult conditions."', ["Fumio Kishida", "Fumio Kishida"]),
    # 'the message' the body that spoke last sent is its words; 'Technical posts' is no body 'it' could be
    ('"A township has been deployed on the island," the press service of the Pacific Fleet also said. Technical'
     ' posts have been installed. "The personnel proceeded to carry out its duties," the message also said. "All'
     ' is ready," it said.', ["press service of the Pacific Fleet"] * 3),
    # 'he' after a clause whose subject is a person: that person
    ('One sleety day in Moscow last week, as ailing Japanese Premier Hatoyama climbed into a Soviet limousine, he'
     ' asked the Russian chauffeur: "Is the weather a bad omen for the talks?"', ["Hatoyama"]),
    # a weekday is never a name ('Friday In Moscow' as a headline)
    ('Friday In Moscow. As the talks began, he asked: "Is the weather a bad omen for the talks?"', [None]),
    # one quotation inside another, in the same marks; a user the grammar cannot name is nobody, not the last speaker
    ('“Unfortunately, Tokyo has adopted a policy of “freezing” payments under the agreement,” said Russian Foreign'
     ' Ministry spokeswoman Maria Zakharova.\nSome Twitter users from Japan considered the step natural.\n'
     '“It\'s our own fault!” wrote the user with nickname ‘rikihos.’',
     ["Maria Zakharova", None]),
    # closed with an opening mark
    ("“We are coordinating with Russia so that fishing can be resumed as soon as possible,“ Kamikawa said.",
     ["Kamikawa"]),
    # an epigraph credited after a dash
    ("“Northern territories (Kuril Islands) are territories to which the sovereignty of our country extends.”-"
     " Yoshimasa Hayashi, Japanese Foreign Minister[1].", ["Yoshimasa Hayashi"]),
    # German marks „…“; 'it' is the body the sentence before began with, role words and all
    ("The Russian foreign ministry dampened expectations. For a peace treaty Tokyo must „fully recognize the"
     " consequences of the Second World War,“ it said in a statement.", ["Russian foreign ministry"]),
    # a verb between the name and a noun of speech is no part of the name
    ('Prime Minister Fumio Kishida told parliament that he remained committed, though he acknowledged that'
     ' relations were in "a severe situation."', ["Fumio Kishida"]),
    # a capitalised 'States' is no speech verb
    ('The United States and Japan signed a "comprehensive and forward-looking strategic partnership."', [None]),
])
def test_speaker_of_a_quotation(text, expected):
    assert speakers(text) == expected


def test_i_is_the_author_when_the_page_names_one():
    text = 'I remember telling a Diet committee, "If we let this moment pass, we may wait a generation."'
    assert speakers(text, author="Masaru Ikegami") == ["Masaru Ikegami"]
    assert speakers(text) == [None]


def test_a_piece_named_by_its_outlet_speaks_when_introduced_with_a_colon():
    text = ("Sanctions\nGessler drew my attention to a CNBC article of March 31, 2022.\nThat article reported:\n"
            "“Japanese Prime Minister Fumio Kishida’s announcement that he would not abandon the project was decided"
            " weeks ago.\nFor more than a decade, energy-poor Japan has tapped Russian gas.”\n")
    assert speakers(text) == ["CNBC article", "CNBC article"]


def test_a_document_introduced_with_a_colon_speaks_in_the_next_paragraph():
    text = ("Dulles handed an aide-mémoire to the ambassador. The aide-mémoire reads as follows:\n"
            "“The Government of the United States believes that the state of war should end.")
    assert speakers(text) == ["aide-mémoire"]


def test_the_following_points_go_on_in_paragraphs_opened_with_a_single_mark_never_closed():
    text = ("The ministry said that vice-minister Takeo Mori made the following points to the Russian ambassador:\n"
            "‘In the first place, Russia’s aggression against Ukraine is totally unacceptable.\n"
            "‘Whatever claims the Russian side may make, there cannot be any justification for the aggression.\n")
    assert speakers(text) == ["Takeo Mori", "Takeo Mori"]


def test_a_heading_that_is_only_a_quotation_titles_a_section(tmp_path):
    from bot.extract.pipeline import extract
    from bot.ingest.document import parse_document
    text = ("Islands talks\nMoscow still claims the islands were “just a result of World War Two”, an official said.\n"
            "‘Inherent part of Japan’\nJapan discovered the islands in the 17th century.\n")
    quotes = [q.text for q in extract(parse_document("t.txt", text, "x")).quotes]
    assert "Inherent part of Japan" not in quotes and "just a result of World War Two" in quotes


@pytest.mark.parametrize("text, expected", [
    ("The islands are subject to the Japan-U.S. security treaty and more. It was signed.",
     ["The islands are subject to the Japan-U.S. security treaty and more.", "It was signed."]),
    ("He met approx. five envoys. They left.", ["He met approx. five envoys.", "They left."]),
    ("Dr. S. V. Lavrov spoke. Peskov agreed.", ["Dr. S. V. Lavrov spoke.", "Peskov agreed."]),
    # a chronology entry's year label belongs to the sentence it dates
    ("1855. Russia and Japan signed the Treaty of Shimoda. The border ran between Iturup and Urup.",
     ["1855. Russia and Japan signed the Treaty of Shimoda.", "The border ran between Iturup and Urup."]),
])
def test_sentences_are_not_cut_inside_an_initialism_or_before_a_lower_case_word(text, expected):
    assert [text[s:e] for s, e in sentence_spans(text)] == expected


def test_a_document_named_before_a_closing_colon_gives_the_wording_of_the_next_paragraph():
    text = ("Japan subsequently accepted, in Article 2(c) of the San Francisco Peace Treaty signed on 8 September 1951,"
            " the following provision:\n“Japan renounces all right, title and claim to the Kurile Islands.”")
    assert speakers(text) == ["San Francisco Peace Treaty"]


def test_a_dash_tag_splits_an_answer_and_a_name_in_capitals_is_the_interviewee():
    text = ("“We are not selling anything,” Vladimir Putin said at the summit.\n"
            "Why a compromise is not near, “MK” was told by the head of the Center, Valery KISTANOV.\n"
            "– Theoretically, an agreement may be concluded if we find a compromise, – the expert reminded. – In the"
            " meantime, the positions of Russia and Japan disagree.\n")
    x = extract(parse_document("t.txt", "Kuril news\n" + text, "0"))
    assert [(q.speaker.name if q.speaker else None, q.text) for q in x.quotes] == [
        ("Vladimir Putin", "We are not selling anything,"),
        ("Valery Kistanov", "Theoretically, an agreement may be concluded if we find a compromise,"),
        ("Valery Kistanov", "In the meantime, the positions of Russia and Japan disagree.")]


def test_the_title_names_whom_a_bare_role_label_stands_for():
    body = ("Press Conference by Minister for Foreign Affairs Hirofumi Nakasone\nA Japanese Journalist Having Entered"
            " into Etorofu Island\nMinister:\nThe reporter entered the islands. It is extremely regrettable.\n")
    quotes = extract(parse_document("t.txt", body, "0")).quotes
    assert [(q.speaker and q.speaker.name, q.paragraph) for q in quotes] == [("Hirofumi Nakasone", 4)]


def test_a_role_never_starts_with_the_sentence_s_conjunction_and_an_honorific_makes_a_person():
    from bot.extract.people import Registry, split_name_role
    assert split_name_role("But Japanese Prime Minister Shinzo Abe") == ("Shinzo Abe", "Japanese Prime Minister", True)
    assert Registry().add("Mr Casey").is_person
    assert not Registry().add("Casey").is_person  # a bare capitalised word may be anything


@pytest.mark.parametrize("text, expected", [
    # an interview written with dashes quotes the person the narration names
    ("Consul General of Japan in Khabarovsk Noguchi Hideaki shared his plans with EastRussia.Ru.\n"
        "- Time flies, and since I arrived in Khabarovsk almost five months have passed.\n"
        "I had a very good impression of Khabarovsk and its inhabitants.\n"
        "- How would you describe the state of today's contacts?\n"
        "- Relations between Japan and Russia are a priority for Japan.\n",
     ["Noguchi Hideaki"] * 3),
    # the interviewer named by a labelled question asks the dash questions after it; the guest answers them
    ("Soichiro Takhara: You are an expert on Russia. When did you meet Putin?\n"
        "Muneo Suzuki: I first met Putin in August 1999, when he was prime minister.\n"
        "— What kind of person did Putin seem to you?\n"
        "- Usually people talk about him as a cold man, but he has a subtle mentality.\n",
     ["Soichiro Takhara", "Muneo Suzuki", "Soichiro Takhara", "Muneo Suzuki"]),
    # a dateline with place and agency is no speaker label
    ("HONG KONG (JP): Russian President Boris Yeltsin and Prime Minister Ryutaro Hashimoto took a first step.\n"
        "As it happened, Yeltsin and Hashimoto did not meet in a sauna on Saturday night.\n"
        "Hashimoto told journalists: “At all costs, Japan and Russia must normalize relations.”\n",
     ["Ryutaro Hashimoto"]),
    # a quotation runs on over paragraphs without marks until one closes it
    ("Prime Minister Shinzo Abe received a courtesy call from Secretary Mattis.\nThe Prime Minister said,\n"
        "“I would like to express my congratulations on your appointment.\n"
        "I welcome you, who have a long military career.\n"
        "I look forward to the summit meeting next week.”\n"
        "Mattis thanked him. The talks were frank.\n",
     ["Shinzo Abe"] * 3),
    # a stray opening mark quotes nothing after it
    ("Officials met in Tokyo. Abe said “the islands are ours and always were.\n"
        "The ministers then discussed fishing quotas for the season.\n"
        "They also discussed “a new start” for talks.\n",
     ["Abe"]),
    # a place is no person a pronoun could stand for; an unnamed role that spoke last is
    ("The Kuril Islands territorial dispute is the major obstacle. A Japanese Foreign Ministry spokesman"
        " reiterated that point.\n\"We naturally assume that we resolve the issues first,\" he added.\n",
     ["Japanese Foreign Ministry spokesman"]),
    ("A boat has been seized by Russian authorities, a Japanese official said Saturday.\n\"We are asking the Russian"
     " side to release them as soon as possible,\" he told AFP.\n", ["Japanese official"]),
    ("The Kuril Islands territorial dispute is the major obstacle.\n\"We naturally assume that we resolve the"
     " issues first,\" he added.\n", [None]),
])
def test_speakers_over_paragraphs(text, expected):
    assert speakers(text) == expected
