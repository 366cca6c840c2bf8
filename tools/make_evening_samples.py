"""Write the synthetic sample schools for the parents' evening planner (seeded, so repeatable).

Every name is invented. Column headers imitate school information-system exports on purpose
("Parent language", "Staff code"), so the planner's column-mapping step has real work to do.

Run: .venv/bin/python tools/make_evening_samples.py
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "datasets" / "evening"

FAMILY_COLS = [
    "Family ID",
    "Parent/Carer",
    "Student",
    "Year",
    "Teacher",
    "Priority",
    "Parent language",
    "Interpreter needed",
    "Available from",
    "Available until",
    "Email",
]
TEACHER_COLS = ["Staff code", "Teacher name", "Room", "Break", "Arrives", "Leaves", "Languages spoken"]
INTERP_COLS = ["ID", "Interpreter", "Languages", "From", "Until"]

SURNAMES = {
    "English": ["Smith", "Taylor", "Brown", "Wilson", "Campbell", "Walker", "Robinson", "Clarke",
                "Murray", "Hughes", "Bennett", "Fraser", "Morgan", "Reid", "Kelly", "Young"],
    "French": ["Tremblay", "Gagnon", "Côté", "Bélanger", "Lefèvre", "Girard", "Lévesque", "Roy"],
    "Spanish": ["García", "Martínez", "López", "Hernández", "Pérez", "Sánchez", "Ramírez", "Ortiz"],
    "Arabic": ["Haddad", "Khalil", "Mansour", "Nasser", "Saleh", "Youssef", "Hamdan", "Aziz"],
    "Polish": ["Nowak", "Kowalski", "Wiśniewski", "Zieliński", "Wójcik", "Kamiński"],
    "Somali": ["Warsame", "Abdi", "Farah", "Hassan", "Jama", "Osman"],
    "Mandarin": ["Wang", "Li", "Zhang", "Liu", "Chen", "Zhao"],
    "Punjabi": ["Singh", "Kaur", "Gill", "Sandhu", "Dhillon", "Sidhu"],
    "ASL": ["Parker", "Doyle", "Hayes", "Quinn"],
}
FIRST = {
    "English": ["Amelia", "Oliver", "Isla", "Jack", "Ava", "Noah", "Mia", "Leo", "Grace", "Ethan"],
    "French": ["Chloé", "Léa", "Étienne", "Zoé", "Mathis", "Anaïs", "Noé", "Inès"],
    "Spanish": ["Lucía", "Mateo", "Sofía", "Martín", "Valentina", "José", "Camila", "Iñigo"],
    "Arabic": ["Layla", "Omar", "Yasmin", "Karim", "Noor", "Samir", "Huda", "Ziad"],
    "Polish": ["Zofia", "Jakub", "Łucja", "Kacper", "Hanna", "Szymon"],
    "Somali": ["Hodan", "Abdirahman", "Ayaan", "Mahad", "Ifrah", "Liban"],
    "Mandarin": ["Mei", "Jun", "Xin", "Hao", "Lan", "Wei"],
    "Punjabi": ["Simran", "Arjun", "Harleen", "Gurpreet", "Navdeep", "Jasleen"],
    "ASL": ["Ruby", "Finn", "Nora", "Cole"],
}
PARENT_TITLES = ["Mrs", "Mr", "Ms", "Mx"]
SUBJECTS = [("Maths", 1.5), ("English", 1.5), ("Science", 1.3), ("History", 1.0),
            ("Geography", 0.9), ("French", 0.8), ("Art", 0.6), ("Music", 0.5), ("PE", 0.6),
            ("Computing", 0.9), ("Spanish", 0.7), ("Drama", 0.5)]
STAFF_SURNAMES = ["Patel", "Okafor", "MacLeod", "Dubois", "Nguyen", "Fischer", "Rossi", "Kowal",
                  "Ahmed", "Svensson", "O'Brien", "Moreau", "Tanaka", "Silva", "Novak", "Byrne",
                  "Lindqvist", "Mensah", "Duarte", "Keane"]


def _langs(rng: random.Random) -> str:
    return rng.choices(
        ["English", "French", "Spanish", "Arabic", "Polish", "Somali", "Mandarin", "Punjabi", "ASL"],
        weights=[72, 5, 6, 6, 3, 2, 2, 3, 1],
    )[0]


def _window(rng: random.Random, start: str, end: str) -> tuple[str, str]:
    pick = rng.random()
    if pick < 0.6:
        return "", ""  # the whole evening
    if pick < 0.85:
        return "17:30", ""  # after work
    if pick < 0.95:
        return "", "18:30"  # before an evening shift or a younger child's bedtime
    return rng.choice([("16:30", "17:30"), ("18:00", "19:00"), ("17:00", "18:00")])


def make_school(
    seed: int,
    n_families: int,
    n_teachers: int,
    interpreters: list[tuple[str, str, str, str]],
    start: str,
    end: str,
    folder: str,
    teacher_by: str,
) -> None:
    rng = random.Random(seed)
    out = OUT / folder
    out.mkdir(parents=True, exist_ok=True)

    teachers = []
    for i in range(n_teachers):
        subject, weight = SUBJECTS[i % len(SUBJECTS)]
        code = f"T{i + 1:02d}"
        name = f"{rng.choice(['Ms', 'Mr', 'Dr', 'Mx'])} {STAFF_SURNAMES[i % len(STAFF_SURNAMES)]}"
        if i >= len(STAFF_SURNAMES):
            name += f"-{STAFF_SURNAMES[(i * 7) % len(STAFF_SURNAMES)]}"
        langs = "French" if subject == "French" else "Spanish" if subject == "Spanish" else ""
        arrive = "16:30" if i % 17 == 5 else ""
        leave = "19:00" if i % 13 == 7 else ""
        teachers.append(
            {"code": code, "name": f"{name} ({subject})", "room": f"Room {101 + i}",
             "weight": weight, "langs": langs, "arrive": arrive, "leave": leave}
        )
    with open(out / "teachers.csv", "w", newline="", encoding="utf-8-sig") as fh:
        w = csv.writer(fh)
        w.writerow(TEACHER_COLS)
        for t in teachers:
            w.writerow([t["code"], t["name"], t["room"], "", t["arrive"], t["leave"], t["langs"]])

    with open(out / "interpreters.csv", "w", newline="", encoding="utf-8-sig") as fh:
        w = csv.writer(fh)
        w.writerow(INTERP_COLS)
        for row in interpreters:
            w.writerow(row)

    weights = [t["weight"] for t in teachers]
    with open(out / "families.csv", "w", newline="", encoding="utf-8-sig") as fh:
        w = csv.writer(fh)
        w.writerow(FAMILY_COLS)
        for f in range(n_families):
            lang = _langs(rng)
            surname = rng.choice(SURNAMES[lang])
            parent = f"{rng.choice(PARENT_TITLES)} {surname}"
            needs = "Yes" if lang == "ASL" or (lang != "English" and rng.random() < 0.6) else "No"
            lo, hi = _window(rng, start, end)
            email = f"{surname.lower().replace(' ', '')}{f + 1}@example.org"
            n_children = rng.choices([1, 2, 3], weights=[70, 25, 5])[0]
            for _c in range(n_children):
                child = f"{rng.choice(FIRST[lang])} {surname}"
                year = rng.randint(7, 11)
                k = rng.choices([1, 2, 3], weights=[35, 45, 20])[0]
                chosen: list[dict] = []
                while len(chosen) < k:
                    t = rng.choices(teachers, weights=weights)[0]
                    if t not in chosen:
                        chosen.append(t)
                for t in chosen:
                    roll = rng.random()
                    prio = "Must meet" if roll < 0.08 else "High" if roll < 0.22 else "Normal"
                    teacher = t["code"] if teacher_by == "code" else t["name"]
                    w.writerow([f"F{f + 1:04d}", parent, child, year, teacher, prio, lang, needs,
                                lo, hi, email])


def main() -> None:
    make_school(
        seed=2024,
        n_families=40,
        n_teachers=8,
        interpreters=[
            ("I1", "Rania Haddad", "Arabic", "", ""),
            ("I2", "Carmen Ruiz", "Spanish; French", "", ""),
            ("I3", "Sam Ellis (signer)", "ASL", "16:30", ""),
            ("I4", "Piotr Zaj\u0105c", "Polish; Somali; Mandarin; Punjabi", "", ""),
        ],
        start="16:00",
        end="19:00",
        folder="small",
        teacher_by="name",
    )
    make_school(
        seed=4048,
        n_families=1000,
        n_teachers=60,
        interpreters=[
            ("I01", "Rania Haddad", "Arabic", "", ""),
            ("I02", "Tarek Saleh", "Arabic; French", "", ""),
            ("I03", "Carmen Ruiz", "Spanish", "", ""),
            ("I04", "Diego Alonso", "Spanish; French", "", ""),
            ("I05", "Anna Nowak", "Polish", "", ""),
            ("I06", "Faduma Ali", "Somali", "", ""),
            ("I07", "Li Na", "Mandarin", "", ""),
            ("I08", "Harjit Bains", "Punjabi", "", ""),
            ("I09", "Sam Ellis (signer)", "ASL", "", ""),
            ("I10", "Jo Marsh (signer)", "ASL", "17:00", ""),
            ("I11", "Hiba Karam", "Arabic", "17:30", ""),
            ("I12", "Lucia Vega", "Spanish", "17:30", ""),
        ],
        start="16:00",
        end="20:00",
        folder="large",
        teacher_by="code",
    )


if __name__ == "__main__":
    main()
