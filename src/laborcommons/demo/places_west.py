"""Garment cities of South Asia, Türkiye, Ethiopia and Honduras."""

# Turkish spelling needs the dotless i (U+0131); it is not a look-alike here.
# ruff: noqa: RUF001

from __future__ import annotations

from laborcommons.demo.places import City, CountryPlaces

# fmt: off
_BD = CountryPlaces(
    "BD",
    "Bangladesh",
    (
        City("Dhaka", "Dhaka Division", 23.81, 90.41, ("1206", "1216", "1230"),
             ("Mirpur", "Tejgaon", "Uttara", "Badda"),
             ("Tejgaon Industrial Area", "Mirpur Section 7")),
        City("Savar", "Dhaka Division", 23.86, 90.27, ("1340", "1341", "1344"),
             ("Ashulia", "Hemayetpur", "Jamgora", "Baipail", "Zirabo"),
             ("Dhaka Export Processing Zone", "Nabinagar Industrial Area")),
        City("Gazipur", "Dhaka Division", 24.00, 90.42, ("1700", "1702", "1704", "1750"),
             ("Tongi", "Kashimpur", "Konabari", "Sreepur", "Kaliakair", "Board Bazar"),
             ("Tongi Industrial Area", "BSCIC Industrial Estate")),
        City("Narayanganj", "Dhaka Division", 23.62, 90.50, ("1400", "1420", "1430"),
             ("Fatullah", "Siddhirganj", "Kanchpur", "Rupganj"),
             ("Adamjee Export Processing Zone", "BSCIC Industrial Estate")),
        City("Chattogram", "Chattogram Division", 22.34, 91.83, ("4000", "4100", "4223"),
             ("Kalurghat", "Nasirabad", "Patenga", "Bayezid"),
             ("Chittagong Export Processing Zone", "Karnaphuli Export Processing Zone")),
    ),
    ("Dhaka-Aricha Highway", "Dhaka-Mymensingh Highway", "Tongi-Ashulia Road",
     "Bypail-Nabinagar Road", "Zirani Bazar Road", "Kashimpur Road", "Airport Road"),
    ("Bishuya Kuribari", "Chandpara", "Gazir Chat", "Kamarpara", "Tetuibari", "Narsinghapur"),
    ("Plot {n}, Sector {s}, {zone}", "Holding {n}, {street}, {district}",
     "{n}/{m}, Vill- {village}, {district}", "Plot {lot}, {zone}, {district}"),
)

_IN = CountryPlaces(
    "IN",
    "India",
    (
        City("Tiruppur", "Tamil Nadu", 11.11, 77.34, ("641601", "641602", "641604", "641607"),
             ("Palladam", "Perumanallur", "Mangalam", "Avinashi"),
             ("Netaji Apparel Park", "SIDCO Industrial Estate")),
        City("Bengaluru", "Karnataka", 12.97, 77.59, ("560058", "560099", "562123"),
             ("Peenya", "Bommanahalli", "Yeshwanthpur", "Jigani"),
             ("Peenya Industrial Area", "Bommasandra Industrial Area")),
        City("Gurugram", "Haryana", 28.46, 77.03, ("122001", "122015", "122016"),
             ("Udyog Vihar Phase IV", "Sector 37", "Manesar"),
             ("Udyog Vihar", "IMT Manesar")),
        City("Noida", "Uttar Pradesh", 28.54, 77.39, ("201301", "201305"),
             ("Sector 63", "Sector 80", "Phase II"),
             ("Noida Special Economic Zone", "Phase II Industrial Area")),
        City("Chennai", "Tamil Nadu", 13.08, 80.27, ("600058", "600098", "602105"),
             ("Ambattur", "Guindy", "Sriperumbudur"),
             ("Ambattur Industrial Estate", "MEPZ Special Economic Zone")),
        City("Ludhiana", "Punjab", 30.90, 75.85, ("141003", "141010", "141120"),
             ("Focal Point Phase V", "Industrial Area A", "Dhandari Kalan"),
             ("Focal Point", "Hosiery Complex")),
    ),
    ("Avinashi Road", "Tumkur Road", "Hosur Road", "Mathura Road", "G.T. Road",
     "Kangeyam Road", "Dharapuram Road", "Mysore Road"),
    ("Kondur Village", "Tada Mandal", "Mudalipalayam", "Kuppandampalayam"),
    ("No. {n}, {street}, {district}", "Plot No. {lot}, {zone}, {district}",
     "S.F. No. {n}/{m}, {street}, {district}", "Survey No. {n}, {village}, {zone}"),
)


_PK = CountryPlaces(
    "PK",
    "Pakistan",
    (
        City("Karachi", "Sindh", 24.86, 67.01, ("74900", "75700", "75840"),
             ("S.I.T.E.", "Korangi", "Landhi", "North Karachi"),
             ("Korangi Industrial Area", "Karachi Export Processing Zone",
              "S.I.T.E. Industrial Area")),
        City("Lahore", "Punjab", 31.55, 74.34, ("54000", "54760", "54850"),
             ("Kot Lakhpat", "Sundar", "Raiwind Road", "Shahdara"),
             ("Sundar Industrial Estate", "Quaid-e-Azam Industrial Estate")),
        City("Faisalabad", "Punjab", 31.42, 73.08, ("38000", "38090"),
             ("Sargodha Road", "Jhang Road", "Samundri Road", "Satiana Road"),
             ("M-3 Industrial City", "Faisalabad Industrial Estate")),
        City("Sialkot", "Punjab", 32.49, 74.53, ("51310", "51330"),
             ("Daska Road", "Wazirabad Road", "Ugoki"), ("Small Industrial Estate",)),
    ),
    ("Shahrah-e-Faisal", "Korangi Road", "Multan Road", "Ferozepur Road",
     "Canal Bank Road", "Sheikhupura Road", "Manghopir Road"),
    ("Pacca Garha", "Noal More", "Kot Abdul Malik"),
    ("Plot No. {lot}, {zone}", "{n} K.M. {street}, {district}",
     "Plot {lot}, Sector {s}, {district}"),
)

_LK = CountryPlaces(
    "LK",
    "Sri Lanka",
    (
        City("Katunayake", "Western Province", 7.17, 79.88, ("11450",),
             ("Seeduwa", "Ja-Ela", "Minuwangoda"), ("Katunayake Export Processing Zone",)),
        City("Biyagama", "Western Province", 6.94, 79.99, ("11650",),
             ("Kelaniya", "Sapugaskanda", "Makola"), ("Biyagama Export Processing Zone",)),
        City("Horana", "Western Province", 6.72, 80.06, ("12400",),
             ("Poruwadanda", "Bandaragama"), ("Horana Export Processing Zone",)),
        City("Koggala", "Southern Province", 5.99, 80.33, ("80630",),
             ("Habaraduwa", "Ahangama"), ("Koggala Export Processing Zone",)),
        City("Kandy", "Central Province", 7.29, 80.63, ("20000", "20168"),
             ("Pallekele", "Kundasale", "Digana"), ("Pallekele Industrial Park",)),
    ),
    ("Negombo Road", "Airport Road", "Colombo Road", "Galle Road", "Kandy Road",
     "Temple Road"),
    ("Moragahahena", "Millewa", "Maligawatte"),
    ("Lot {n}, {zone}", "No. {n}, {street}, {district}", "Lot {n}B, {zone}, {district}"),
)

_TR = CountryPlaces(
    "TR",
    "Türkiye",
    (
        City("İstanbul", "İstanbul", 41.01, 28.98, ("34500", "34515", "34200", "34165"),
             ("Esenyurt", "Bağcılar", "Güngören", "Zeytinburnu", "Avcılar"),
             ("İkitelli Organize Sanayi Bölgesi", "Deri Organize Sanayi Bölgesi")),
        City("İzmir", "İzmir", 38.42, 27.14, ("35620", "35730"),
             ("Çiğli", "Torbalı", "Menemen", "Bornova"),
             ("Atatürk Organize Sanayi Bölgesi", "Pancar Organize Sanayi Bölgesi")),
        City("Bursa", "Bursa", 40.19, 29.06, ("16140", "16245"),
             ("Nilüfer", "Osmangazi", "Demirtaş", "Yıldırım"),
             ("Demirtaş Organize Sanayi Bölgesi", "Nilüfer Organize Sanayi Bölgesi")),
        City("Denizli", "Denizli", 37.78, 29.09, ("20330", "20140"),
             ("Merkezefendi", "Pamukkale", "Honaz"), ("Denizli Organize Sanayi Bölgesi",)),
        City("Gaziantep", "Gaziantep", 37.07, 37.38, ("27600", "27100"),
             ("Şehitkamil", "Şahinbey", "Başpınar"), ("Gaziantep Organize Sanayi Bölgesi",)),
    ),
    ("Zafer Mah.", "Cumhuriyet Mah.", "Atatürk Mah.", "Yeşilova Mah.", "Fatih Mah.",
     "İstiklal Mah.", "Mimar Sinan Mah."),
    ("Kıraç", "Hadımköy", "Çakmaklı"),
    ("{street} {n}. Sok. No:{m}, {district}", "{zone} {n}. Cadde No:{m}, {district}",
     "{street} Bağlar Yolu Cad. No:{n}/{m}, {district}"),
)

_ET = CountryPlaces(
    "ET",
    "Ethiopia",
    (
        City("Hawassa", "Sidama", 7.06, 38.48, (), ("Tabor Sub-City", "Hawela Tula"),
             ("Hawassa Industrial Park",)),
        City("Addis Ababa", "Addis Ababa", 9.03, 38.74, (),
             ("Bole Sub-City", "Akaki Kality Sub-City", "Kolfe Keranio Sub-City"),
             ("Bole Lemi Industrial Park",)),
        City("Mekelle", "Tigray", 13.50, 39.47, (), ("Quiha",), ("Mekelle Industrial Park",)),
        City("Kombolcha", "Amhara", 11.08, 39.74, (), ("Kebele 05",),
             ("Kombolcha Industrial Park",)),
        City("Adama", "Oromia", 8.54, 39.27, (), ("Boku Shanan",), ("Adama Industrial Park",)),
    ),
    ("Ring Road", "Africa Avenue", "Debre Zeit Road", "Industrial Park Road"),
    ("Kebele 03", "Kebele 11", "Kebele 14"),
    ("Shed {n}, {zone}", "{zone}, Shed No. {s}{block}", "{village}, {street}, {district}"),
)

_HN = CountryPlaces(
    "HN",
    "Honduras",
    (
        City("San Pedro Sula", "Cortés", 15.50, -88.03, ("21101", "21102"),
             ("Colonia Rivera Hernández", "Barrio Cabañas", "Chamelecón"),
             ("Parque Industrial ZIP Búfalo", "Zona Libre Inhdelva")),
        City("Choloma", "Cortés", 15.61, -87.95, ("21112",),
             ("Colonia López Arellano", "Barrio El Centro", "Colonia Victoria"),
             ("ZIP Choloma", "Parque Industrial Continental")),
        City("Villanueva", "Cortés", 15.32, -88.00, ("21201",),
             ("Barrio El Carmen", "Colonia Dos Caminos"), ("ZIP Villanueva",)),
        City("El Progreso", "Yoro", 15.40, -87.80, ("23201",),
             ("Barrio Las Mercedes", "Colonia Ulloa"), ("ZIP El Progreso",)),
    ),
    ("Carretera a Puerto Cortés", "Carretera CA-5", "Boulevard del Norte",
     "Carretera a La Lima", "Carretera a El Progreso"),
    ("Aldea Río Blanco", "Aldea Cofradía"),
    ("{zone}, Nave {n}, {district}", "{street} Km {m}, {district}", "{zone}, Edificio {lot}"),
)
# fmt: on

WEST: tuple[CountryPlaces, ...] = (_BD, _IN, _PK, _LK, _TR, _ET, _HN)
