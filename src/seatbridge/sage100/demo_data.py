"""Word lists of the demo companies: French names, jobs, cities, jewellery articles.

Inspired by Sage's own demo company "Bijou SA" (articles BAAR01, CHFE01, LINGOR18, customer
CARAT, supplier BRELO). Everything else is invented.
"""

from __future__ import annotations

import datetime as dt
from typing import Final, NamedTuple

# Documents span three years before this date; never "today", so that a seed gives the same rows.
REFERENCE_DATE: Final = dt.datetime(2025, 6, 30, 18, 0, 0)
HISTORY_DAYS: Final = 3 * 365
# Sage writes this where a date has no value.
NO_DATE: Final = dt.datetime(1753, 1, 1)
VAT_RATE_PERCENT: Final = 20

FEMALE_FIRST_NAMES: Final = (
    "Marie", "Nathalie", "Isabelle", "Sylvie", "Catherine", "Sophie", "Christine", "Valérie",
    "Sandrine", "Céline", "Stéphanie", "Aurélie", "Julie", "Camille", "Émilie", "Laure", "Claire",
    "Hélène", "Anne", "Élodie", "Manon", "Léa", "Chloé", "Inès", "Agnès", "Brigitte", "Françoise",
    "Martine", "Pauline", "Margaux", "Océane", "Zoé", "Anaïs", "Mélanie", "Virginie", "Lucie",
    "Amélie", "Noémie", "Justine", "Gaëlle",
)  # fmt: skip
MALE_FIRST_NAMES: Final = (
    "Jean", "Pierre", "Philippe", "Michel", "Alain", "Nicolas", "Christophe", "Laurent", "Frédéric",
    "Stéphane", "Olivier", "David", "Julien", "Sébastien", "Thomas", "Antoine", "Mathieu", "Hugo",
    "Lucas", "Louis", "Maxime", "Guillaume", "Benoît", "Jérôme", "Éric", "Patrick", "François",
    "Bernard", "Gérard", "Yves", "Romain", "Vincent", "Arnaud", "Cédric", "Damien", "Fabrice",
    "Grégoire", "Hervé", "Loïc", "Raphaël",
)  # fmt: skip
LAST_NAMES: Final = (
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy",
    "Moreau", "Simon", "Laurent", "Lefèbvre", "Michel", "Garcia", "David", "Bertrand", "Roux",
    "Vincent", "Fournier", "Morel", "Girard", "André", "Lefèvre", "Mercier", "Dupont", "Lambert",
    "Bonnet", "François", "Martinez", "Legrand", "Garnier", "Faure", "Rousseau", "Blanc", "Guérin",
    "Muller", "Henry", "Roussel", "Nicolas", "Perrin", "Morin", "Mathieu", "Clément", "Gauthier",
    "Dumont", "Lopez", "Fontaine", "Chevalier", "Robin", "Masson", "Sanchez", "Gérard", "Nguyen",
    "Boyer", "Denis", "Lemaire", "Duval", "Joly", "Gautier", "Roger", "Roche", "Roy", "Noël",
    "Meyer", "Lucas", "Meunier", "Jean", "Pérez", "Marchand", "Dufour", "Blanchard", "Marie",
    "Barbier", "Brun", "Dumas", "Brunet", "Schmitt", "Leroux", "Colin", "Fernandez", "Pierre",
    "Renard", "Arnaud", "Rolland", "Caron", "Aubert", "Giraud", "Leclerc", "Vidal", "Bourgeois",
    "Renaud", "Lemoine", "Picard", "Gaillard", "Philippe", "Leclercq", "Lacroix", "Fabre", "Dupuis",
    "Olivier", "Rodriguez", "Da Silva", "Hubert", "Louis", "Charles", "Guillot", "Rivière",
    "Le Gall", "Guillaume", "Adam", "Rey", "Moulin", "Gonzalez", "Berger", "Lecomte", "Ménard",
    "Fleury", "Deschamps", "Carpentier", "Julien", "Benoît", "Paris", "Maillard", "Marchal",
    "Aubry", "Vasseur", "Le Roux", "Renault", "Jacquet", "Collet", "Prévost", "Poirier",
    "Charpentier", "Royer", "Huet", "Baron", "Dupuy", "Pons", "Paul", "Laine", "Carré", "Breton",
    "Rémy", "Schneider", "Perrot", "Guyot", "Barre", "Marty", "Cousin",
)  # fmt: skip


class Role(NamedTuple):
    """A job at the company: titles (masculine, feminine), service and Sage role flags."""

    title_m: str
    title_f: str
    service: str
    vendeur: int = 0
    caissier: int = 0
    acheteur: int = 0
    receptionnaire: int = 0
    recouvrement: int = 0
    financier: int = 0


DIRECTOR: Final = Role("Gérant", "Gérante", "Direction", financier=1)
SALES_DIRECTOR: Final = Role("Directeur commercial", "Directrice commerciale", "Commercial", 1)
# (role, weight) for every other collaborator: about 60 % salespeople, like a trading company.
ROLES: Final = (
    (Role("Commercial", "Commerciale", "Commercial", vendeur=1), 26),
    (Role("Attaché commercial", "Attachée commerciale", "Commercial", vendeur=1), 10),
    (Role("Commercial sédentaire", "Commerciale sédentaire", "Commercial", vendeur=1), 8),
    (Role("Responsable grands comptes", "Responsable grands comptes", "Commercial", 1), 5),
    (Role("Vendeur en boutique", "Vendeuse en boutique", "Boutique", 1, caissier=1), 8),
    (Role("Responsable boutique", "Responsable boutique", "Boutique", 1, caissier=1), 3),
    (Role("Caissier", "Caissière", "Boutique", caissier=1), 6),
    (Role("Acheteur", "Acheteuse", "Achats", acheteur=1), 7),
    (Role("Assistant commercial", "Assistante commerciale", "Commercial"), 7),
    (Role("Comptable", "Comptable", "Comptabilité", recouvrement=1, financier=1), 5),
    (Role("Chargé de recouvrement", "Chargée de recouvrement", "Comptabilité", recouvrement=1), 3),
    (Role("Magasinier", "Magasinière", "Logistique", receptionnaire=1), 6),
    (Role("Gemmologue", "Gemmologue", "Atelier"), 2),
    (Role("Artisan joaillier", "Artisane joaillière", "Atelier"), 4),
)


class City(NamedTuple):
    postcode: str
    name: str
    region: str


CITIES: Final = (
    City("75002", "Paris", "Île-de-France"),
    City("75008", "Paris", "Île-de-France"),
    City("69002", "Lyon", "Auvergne-Rhône-Alpes"),
    City("13001", "Marseille", "Provence-Alpes-Côte d'Azur"),
    City("31000", "Toulouse", "Occitanie"),
    City("06000", "Nice", "Provence-Alpes-Côte d'Azur"),
    City("44000", "Nantes", "Pays de la Loire"),
    City("67000", "Strasbourg", "Grand Est"),
    City("34000", "Montpellier", "Occitanie"),
    City("33000", "Bordeaux", "Nouvelle-Aquitaine"),
    City("59000", "Lille", "Hauts-de-France"),
    City("35000", "Rennes", "Bretagne"),
    City("51100", "Reims", "Grand Est"),
    City("76600", "Le Havre", "Normandie"),
    City("42000", "Saint-Étienne", "Auvergne-Rhône-Alpes"),
    City("83000", "Toulon", "Provence-Alpes-Côte d'Azur"),
    City("38000", "Grenoble", "Auvergne-Rhône-Alpes"),
    City("21000", "Dijon", "Bourgogne-Franche-Comté"),
    City("49000", "Angers", "Pays de la Loire"),
    City("37000", "Tours", "Centre-Val de Loire"),
    City("87000", "Limoges", "Nouvelle-Aquitaine"),
    City("25000", "Besançon", "Bourgogne-Franche-Comté"),
    City("74000", "Annecy", "Auvergne-Rhône-Alpes"),
    City("64200", "Biarritz", "Nouvelle-Aquitaine"),
    City("06400", "Cannes", "Provence-Alpes-Côte d'Azur"),
    City("29200", "Brest", "Bretagne"),
    City("57000", "Metz", "Grand Est"),
    City("45000", "Orléans", "Centre-Val de Loire"),
)
STREETS: Final = (
    "rue de la Paix", "place Vendôme", "rue du Faubourg Saint-Honoré", "avenue de la République",
    "rue Nationale", "boulevard Victor Hugo", "rue de la Gare", "cours Mirabeau",
    "rue des Orfèvres", "place du Marché", "rue Sainte-Catherine", "avenue Jean Jaurès",
    "quai des Chartrons", "rue Grande", "rue du Commerce",
)  # fmt: skip
SHOP_KINDS: Final = (
    "Bijouterie", "Joaillerie", "Horlogerie", "Bijoux", "Maison", "Atelier", "Orfèvrerie",
    "Comptoir", "Galerie", "L'Écrin",
)  # fmt: skip
LEGAL_FORMS: Final = ("", "", "", " SARL", " SAS", " SA", " & Fils", " et Cie")


class Article(NamedTuple):
    """A catalogue article: reference, designation, unit price excluding VAT in cents, max qty."""

    ref: str
    design: str
    price_cents: int
    max_qty: int


ARTICLES: Final = (
    Article("BAAR01", "Bague Argent", 4500, 12),
    Article("BAOR01", "Bague Or 18 cts", 38000, 6),
    Article("BADI01", "Bague Or et diamant", 129000, 3),
    Article("BOAR01", "Boucles d'oreilles Argent", 3900, 12),
    Article("BOPE01", "Boucles d'oreilles perles", 8900, 8),
    Article("BRAR01", "Bracelet Argent", 6900, 10),
    Article("BROR01", "Bracelet Or jaune", 64000, 4),
    Article("CHAAR/VAR", "Chaîne Argent maille et longueur variables", 2900, 20),
    Article("CHFE01", "Chaîne fantaisie", 1500, 24),
    Article("CHOR01", "Chaîne Or 18 cts 45 cm", 42000, 5),
    Article("COPE01", "Collier de perles de culture", 49000, 3),
    Article("EM040", "Écrin cadeau", 350, 50),
    Article("GOUR01", "Gourmette Argent gravée", 7500, 8),
    Article("LINGOR18", "Lingot Or 18 cts", 250000, 2),
    Article("MEOR01", "Médaille Or baptême", 18500, 6),
    Article("MOAC01", "Montre acier homme", 19900, 5),
    Article("MODA01", "Montre dame bracelet cuir", 14900, 5),
    Article("PEOR01", "Pendentif Or et saphir", 56000, 3),
    Article("ALOR01", "Alliance Or blanc", 52000, 4),
    Article("STYPLOR", "Stylo plume plaqué or", 12900, 6),
)
# Comment lines carry no article (empty AR_Ref) and no amount.
COMMENT_LINES: Final = (
    "Gravure offerte",
    "Emballage cadeau",
    "Livraison sécurisée",
    "Retouche de taille incluse",
)

# Document types of sales (DO_Domaine 0) and their numbering prefix; invoices (6) and posted
# invoices (7) share a numbering, as in Sage.
DOCUMENT_PREFIXES: Final = ("DE", "BC", "PL", "BL", "BR", "BA", "FA", "FA")
# Weights per DO_Type: documents older than two months are mostly posted invoices.
OLD_TYPE_WEIGHTS: Final = (15, 2, 0.5, 3, 2, 3, 2, 72)
RECENT_TYPE_WEIGHTS: Final = (25, 20, 8, 15, 2, 3, 20, 7)
RECENT_DAYS: Final = 60
