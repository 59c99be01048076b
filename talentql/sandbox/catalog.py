"""Static tables the generator draws from: roles, skills, certifications, named companies and
schools with their bundle memberships, countries. Pure data.

Bundle names are those of ``talentql.fields`` (COMPANY_BUNDLES, SCHOOL_BUNDLES); a bundle matches
its members here, and only them.
"""

from __future__ import annotations

# --- Countries: (ISO code, market weight, Faker locale, native language) ------------------------
COUNTRIES = (
    ("US", 30.0, "en_US", "english"), ("FR", 9.0, "fr_FR", "french"), ("IN", 8.0, "en_IN", "hindi"),
    ("GB", 7.0, "en_GB", "english"), ("DE", 7.0, "de_DE", "german"), ("CA", 4.0, "en_US", "english"),
    ("ES", 3.0, "es_ES", "spanish"), ("BR", 3.0, "pt_BR", "portuguese"),
    ("NL", 2.5, "nl_NL", "dutch"), ("IT", 2.0, "it_IT", "italian"), ("PL", 2.0, "pl_PL", "polish"),
    ("AU", 2.0, "en_GB", "english"), ("SE", 1.5, "sv_SE", "swedish"),
    ("CH", 1.5, "de_DE", "german"), ("JP", 1.5, "ja_JP", "japanese"),
    ("CN", 1.5, "zh_CN", "mandarin"), ("IE", 1.0, "en_GB", "english"),
    ("PT", 1.0, "pt_BR", "portuguese"), ("BE", 1.0, "fr_FR", "french"),
    ("SG", 1.0, "en_US", "english"), ("MX", 1.0, "es_ES", "spanish"),
    ("IL", 0.8, "en_US", "hebrew"), ("KR", 0.8, "en_US", "korean"),
    ("AE", 0.7, "en_US", "arabic"), ("DK", 0.5, "en_GB", "danish"),
    ("NO", 0.5, "en_GB", "norwegian"), ("FI", 0.5, "en_GB", "finnish"),
    ("ZA", 0.5, "en_GB", "english"), ("NG", 0.5, "en_GB", "english"),
    ("TR", 0.5, "en_US", "turkish"),
)

# --- Roles: (family, title, weight, skills) -------------------------------------------------------
# Weights give the market's shape: many engineers and designers, few CTOs.
_ENG = ("Python", "Java", "JavaScript", "TypeScript", "Go", "Rust", "C++", "C#", "SQL", "Git",
        "Docker", "Kubernetes", "AWS", "Google Cloud", "Azure", "Linux", "PostgreSQL", "Redis",
        "Microservices", "REST APIs", "GraphQL", "CI/CD", "Terraform", "Node.js", "Kotlin")
_FRONT = ("JavaScript", "TypeScript", "React", "Vue.js", "Angular", "HTML", "CSS", "Next.js",
          "Redux", "Webpack", "Figma", "Accessibility", "Node.js", "GraphQL", "Tailwind CSS")
_DATA = ("Python", "SQL", "Machine Learning", "Deep Learning", "TensorFlow", "PyTorch", "pandas",
         "Spark", "Statistics", "Data Visualization", "Tableau", "R", "Airflow", "dbt",
         "Natural Language Processing", "Computer Vision", "Snowflake", "BigQuery", "Scikit-learn")
_DESIGN = ("Figma", "Sketch", "Adobe XD", "User Research", "Prototyping", "Wireframing",
           "Design Systems", "UI Design", "UX Design", "Interaction Design", "Usability Testing",
           "Adobe Illustrator", "Adobe Photoshop", "Visual Design", "Product Design")
_PRODUCT = ("Product Management", "Roadmapping", "Agile", "Scrum", "User Stories", "Jira",
            "A/B Testing", "Product Strategy", "Stakeholder Management", "SQL", "Analytics",
            "Go-to-Market Strategy", "User Research")
_OPS = ("Kubernetes", "Docker", "Terraform", "AWS", "Linux", "Prometheus", "Grafana", "Ansible",
        "CI/CD", "Bash", "Python", "Google Cloud", "Azure", "Networking", "Incident Management")
_MOBILE = ("Swift", "Kotlin", "iOS", "Android", "React Native", "Flutter", "Objective-C",
           "Mobile Development", "Firebase", "Java")
_SALES = ("Sales", "B2B Sales", "Negotiation", "CRM", "Salesforce", "Lead Generation",
          "Account Management", "SaaS", "Business Development", "Cold Calling", "HubSpot")
_MARKETING = ("Digital Marketing", "SEO", "Content Marketing", "Google Analytics", "Social Media",
              "Marketing Strategy", "Brand Management", "Copywriting", "HubSpot", "Growth Hacking",
              "Email Marketing", "B2B Marketing")
_PEOPLE = ("Recruiting", "Talent Acquisition", "Sourcing", "Employer Branding", "Onboarding",
           "HR Policies", "Interviewing", "LinkedIn Recruiter", "People Management")
_FINANCE = ("Financial Analysis", "Excel", "Financial Modeling", "Accounting", "Budgeting",
            "Forecasting", "IFRS", "SAP", "Corporate Finance", "Valuation", "Audit")
_CONSULT = ("Strategy", "Management Consulting", "Business Analysis", "PowerPoint", "Excel",
            "Project Management", "Change Management", "Stakeholder Management", "Agile")
_LEAD = ("Leadership", "People Management", "Strategy", "Hiring", "Agile", "Architecture",
         "Budgeting", "Stakeholder Management", "Mentoring")
_SUPPORT = ("Customer Success", "Customer Support", "Zendesk", "Onboarding", "Account Management",
            "Communication", "SaaS", "Salesforce")

ROLES = (
    ("engineering", "Software Engineer", 14.0, _ENG),
    ("engineering", "Backend Engineer", 6.0, _ENG),
    ("engineering", "Frontend Engineer", 5.0, _FRONT),
    ("engineering", "Full Stack Developer", 5.0, _ENG + _FRONT),
    ("engineering", "Software Developer", 4.0, _ENG),
    ("engineering", "Mobile Developer", 2.0, _MOBILE),
    ("engineering", "iOS Developer", 1.0, _MOBILE),
    ("engineering", "Android Developer", 1.0, _MOBILE),
    ("engineering", "DevOps Engineer", 3.0, _OPS),
    ("engineering", "Site Reliability Engineer", 1.5, _OPS),
    ("engineering", "QA Engineer", 2.0, ("Test Automation", "Selenium", "Cypress", "Python",
                                         "Java", "Quality Assurance", "Jira", "Agile")),
    ("engineering", "Security Engineer", 1.0, ("Security", "Penetration Testing", "Cryptography",
                                               "Linux", "Networking", "SIEM", "Python", "AWS")),
    ("engineering", "Embedded Software Engineer", 1.0, ("C", "C++", "Embedded Systems", "RTOS",
                                                        "Linux", "Firmware", "Python")),
    ("data", "Data Scientist", 4.0, _DATA),
    ("data", "Data Engineer", 3.0, _DATA + ("Kafka", "Scala")),
    ("data", "Machine Learning Engineer", 2.5, _DATA + ("MLOps", "Kubernetes")),
    ("data", "Data Analyst", 4.0, _DATA + ("Excel", "Power BI")),
    ("data", "Research Scientist", 0.8, _DATA + ("Research", "Publications")),
    ("design", "Product Designer", 5.0, _DESIGN),
    ("design", "UX Designer", 3.5, _DESIGN),
    ("design", "UI Designer", 2.0, _DESIGN),
    ("design", "UX Researcher", 1.0, _DESIGN + ("Qualitative Research", "Surveys")),
    ("design", "Graphic Designer", 2.0, _DESIGN + ("Branding", "Typography")),
    ("product", "Product Manager", 5.0, _PRODUCT),
    ("product", "Product Owner", 2.0, _PRODUCT),
    ("product", "Project Manager", 3.0, _CONSULT + ("PMP", "Jira")),
    ("product", "Business Analyst", 2.0, _CONSULT + ("SQL",)),
    ("sales", "Account Executive", 3.0, _SALES),
    ("sales", "Sales Manager", 2.0, _SALES),
    ("sales", "Business Developer", 2.0, _SALES),
    ("sales", "Customer Success Manager", 2.5, _SUPPORT),
    ("marketing", "Marketing Manager", 2.5, _MARKETING),
    ("marketing", "Growth Marketer", 1.0, _MARKETING),
    ("marketing", "Content Strategist", 1.0, _MARKETING),
    ("people", "Recruiter", 2.0, _PEOPLE),
    ("people", "Talent Acquisition Specialist", 1.0, _PEOPLE),
    ("people", "HR Manager", 1.5, _PEOPLE),
    ("finance", "Financial Analyst", 2.0, _FINANCE),
    ("finance", "Accountant", 2.0, _FINANCE),
    ("finance", "Consultant", 3.0, _CONSULT),
    ("operations", "Operations Manager", 1.5, _CONSULT + ("Operations", "Logistics")),
    ("leadership", "Engineering Manager", 1.5, _LEAD + _ENG[:8]),
    ("leadership", "Head of Design", 0.4, _LEAD + _DESIGN[:6]),
    ("leadership", "Head of Product", 0.4, _LEAD + _PRODUCT[:6]),
    ("leadership", "VP of Engineering", 0.25, _LEAD + _ENG[:6]),
    ("leadership", "CTO", 0.25, _LEAD + _ENG[:10]),
    ("leadership", "CEO", 0.2, _LEAD + ("Fundraising", "Business Strategy")),
    ("leadership", "Founder", 0.3, _LEAD + ("Fundraising", "Entrepreneurship")),
)

# Titles that take a seniority word; (minimum years, prefix) from the most senior down.
SENIORITY_PREFIXES = ((12, "Principal"), (9, "Staff"), (5, "Senior"), (2, ""), (0, "Junior"))
PREFIXED_FAMILIES = frozenset({"engineering", "data", "design"})

CERTIFICATIONS = {
    "engineering": ("AWS Certified Solutions Architect", "AWS Certified Developer",
                    "Google Cloud Professional Cloud Architect", "Microsoft Certified: Azure Fundamentals",
                    "Certified Kubernetes Administrator", "Oracle Certified Professional Java SE"),
    "data": ("Google Professional Data Engineer", "AWS Certified Machine Learning",
             "TensorFlow Developer Certificate", "Databricks Certified Data Engineer",
             "Microsoft Certified: Azure Data Scientist"),
    "design": ("Google UX Design Certificate", "Nielsen Norman UX Certification",
               "Interaction Design Foundation Certificate"),
    "product": ("Certified Scrum Product Owner", "Professional Scrum Master",
                "Project Management Professional (PMP)", "PRINCE2 Practitioner"),
    "sales": ("Salesforce Certified Administrator", "HubSpot Sales Software Certification"),
    "marketing": ("Google Ads Certification", "HubSpot Content Marketing Certification",
                  "Google Analytics Certification"),
    "people": ("SHRM Certified Professional", "LinkedIn Certified Professional Recruiter"),
    "finance": ("Chartered Financial Analyst (CFA)", "Certified Public Accountant (CPA)",
                "ACCA", "Financial Risk Manager (FRM)"),
    "operations": ("Lean Six Sigma Green Belt", "APICS CSCP", "Project Management Professional (PMP)"),
    "leadership": ("Certified Scrum Master", "ITIL Foundation", "AWS Certified Solutions Architect"),
}

INTERESTS = ("open source", "hiking", "photography", "music", "startups", "climate tech",
             "running", "chess", "cooking", "travel", "reading", "cycling", "mentoring",
             "artificial intelligence", "design", "football", "yoga", "volunteering")

# --- Named companies: name → (employees, industry, home country, bundles) -------------------------
_MAG7 = "magnificent seven"
_F500 = "fortune 500"
_YC = "yc startups"
_CAC = "cac40"
_FT = "french tech 120"

NAMED_COMPANIES = {
    "Google": (182000, "software development", "US", (_MAG7, _F500)),
    "Apple": (161000, "computers and electronics manufacturing", "US", (_MAG7, _F500)),
    "Meta": (67000, "social networking platforms", "US", (_MAG7, _F500)),
    "Amazon": (1500000, "internet marketplace platforms", "US", (_MAG7, _F500)),
    "Microsoft": (221000, "software development", "US", (_MAG7, _F500)),
    "Nvidia": (29600, "semiconductor manufacturing", "US", (_MAG7, _F500)),
    "Tesla": (140000, "automotive", "US", (_MAG7, _F500)),
    "Walmart": (2100000, "retail", "US", (_F500,)),
    "JPMorgan Chase": (310000, "financial services", "US", (_F500,)),
    "Goldman Sachs": (45000, "investment banking", "US", (_F500,)),
    "IBM": (288000, "it services and it consulting", "US", (_F500,)),
    "Intel": (124000, "semiconductor manufacturing", "US", (_F500,)),
    "Oracle": (164000, "software development", "US", (_F500,)),
    "Salesforce": (72000, "software development", "US", (_F500,)),
    "Cisco": (84000, "computer networking", "US", (_F500,)),
    "Netflix": (13000, "entertainment providers", "US", (_F500,)),
    "Adobe": (29000, "software development", "US", (_F500,)),
    "Johnson & Johnson": (131000, "pharmaceutical manufacturing", "US", (_F500,)),
    "Pfizer": (88000, "pharmaceutical manufacturing", "US", (_F500,)),
    "Procter & Gamble": (107000, "consumer goods", "US", (_F500,)),
    "Coca-Cola": (79000, "food and beverage manufacturing", "US", (_F500,)),
    "Boeing": (171000, "aviation & aerospace", "US", (_F500,)),
    "General Electric": (125000, "industrial automation", "US", (_F500,)),
    "Bank of America": (213000, "banking", "US", (_F500,)),
    "Citigroup": (240000, "financial services", "US", (_F500,)),
    "Morgan Stanley": (80000, "investment banking", "US", (_F500,)),
    "Uber": (32000, "technology", "US", (_F500,)),
    "Airbnb": (6900, "internet marketplace platforms", "US", (_YC,)),
    "Stripe": (8000, "financial services", "US", (_YC,)),
    "Dropbox": (2700, "software development", "US", (_YC,)),
    "Coinbase": (3400, "financial services", "US", (_YC,)),
    "DoorDash": (19000, "internet marketplace platforms", "US", (_YC, _F500)),
    "Instacart": (3400, "internet marketplace platforms", "US", (_YC,)),
    "GitLab": (2100, "software development", "US", (_YC,)),
    "Reddit": (2000, "social networking platforms", "US", (_YC,)),
    "Twitch": (1800, "entertainment providers", "US", (_YC,)),
    "Zapier": (800, "software development", "US", (_YC,)),
    "Brex": (1100, "financial services", "US", (_YC,)),
    "Gusto": (2400, "software development", "US", (_YC,)),
    "Rippling": (3000, "software development", "US", (_YC,)),
    "PagerDuty": (1200, "software development", "US", (_YC,)),
    "Mixpanel": (400, "software development", "US", (_YC,)),
    "Scale AI": (900, "technology", "US", (_YC,)),
    "Retool": (450, "software development", "US", (_YC,)),
    "Deel": (4000, "human resources", "US", (_YC,)),
    "PostHog": (90, "software development", "GB", (_YC,)),
    "Supabase": (120, "software development", "US", (_YC,)),
    "Algolia": (700, "software development", "FR", (_YC, _FT)),
    "Front": (350, "software development", "FR", (_YC,)),
    "LVMH": (213000, "luxury goods & jewelry", "FR", (_CAC,)),
    "TotalEnergies": (102000, "oil & energy", "FR", (_CAC, _F500)),
    "L'Oréal": (90000, "cosmetics", "FR", (_CAC,)),
    "BNP Paribas": (183000, "banking", "FR", (_CAC,)),
    "AXA": (145000, "insurance", "FR", (_CAC,)),
    "Airbus": (147000, "aviation & aerospace", "FR", (_CAC,)),
    "Danone": (96000, "food and beverage manufacturing", "FR", (_CAC,)),
    "Sanofi": (86000, "pharmaceutical manufacturing", "FR", (_CAC,)),
    "Schneider Electric": (150000, "industrial automation", "FR", (_CAC,)),
    "Capgemini": (340000, "it services and it consulting", "FR", (_CAC,)),
    "Orange": (127000, "telecommunications", "FR", (_CAC,)),
    "Renault": (105000, "automotive", "FR", (_CAC,)),
    "Michelin": (132000, "automotive", "FR", (_CAC,)),
    "Kering": (47000, "luxury goods & jewelry", "FR", (_CAC,)),
    "Hermès": (22000, "luxury goods & jewelry", "FR", (_CAC,)),
    "Safran": (92000, "aviation & aerospace", "FR", (_CAC,)),
    "Thales": (81000, "defense & space", "FR", (_CAC,)),
    "Société Générale": (117000, "banking", "FR", (_CAC,)),
    "Crédit Agricole": (150000, "banking", "FR", (_CAC,)),
    "Carrefour": (330000, "retail", "FR", (_CAC,)),
    "Dassault Systèmes": (23000, "software development", "FR", (_CAC,)),
    "Publicis": (98000, "advertising services", "FR", (_CAC,)),
    "Veolia": (218000, "environmental services", "FR", (_CAC,)),
    "Stellantis": (258000, "automotive", "FR", (_CAC, _F500)),
    "Doctolib": (2800, "software development", "FR", (_FT,)),
    "BlaBlaCar": (800, "internet marketplace platforms", "FR", (_FT,)),
    "Back Market": (700, "internet marketplace platforms", "FR", (_FT,)),
    "Qonto": (1400, "financial services", "FR", (_FT,)),
    "Alan": (600, "insurance", "FR", (_FT,)),
    "Contentsquare": (1600, "software development", "FR", (_FT,)),
    "Mirakl": (900, "software development", "FR", (_FT,)),
    "Ledger": (700, "computer and network security", "FR", (_FT,)),
    "Swile": (700, "software development", "FR", (_FT,)),
    "ManoMano": (900, "internet marketplace platforms", "FR", (_FT,)),
    "Vestiaire Collective": (700, "internet marketplace platforms", "FR", (_FT,)),
    "Sorare": (250, "computer games", "FR", (_FT,)),
    "PayFit": (900, "software development", "FR", (_FT,)),
    "Aircall": (700, "software development", "FR", (_FT,)),
    "Dataiku": (1100, "software development", "FR", (_FT,)),
    "Spendesk": (500, "financial services", "FR", (_FT,)),
    "Malt": (600, "internet marketplace platforms", "FR", (_FT,)),
    "Deezer": (600, "music", "FR", (_FT,)),
    "OVHcloud": (2900, "it services and it consulting", "FR", (_FT,)),
    "Mistral AI": (200, "technology", "FR", (_FT,)),
    "Pennylane": (500, "software development", "FR", (_FT,)),
    "Agicap": (400, "software development", "FR", (_FT,)),
    # Well-known companies in no bundle: a bundle must not match them.
    "McKinsey & Company": (45000, "management consulting", "US", ()),
    "Deloitte": (457000, "business consulting and services", "US", ()),
    "Accenture": (733000, "it services and it consulting", "US", ()),
    "Spotify": (9000, "music", "SE", ()),
    "Shopify": (8300, "software development", "CA", ()),
    "SAP": (107000, "software development", "DE", ()),
    "Siemens": (320000, "industrial automation", "DE", ()),
    "Revolut": (8000, "financial services", "GB", ()),
    "Datadog": (5200, "software development", "US", ()),
    "Infosys": (317000, "it services and it consulting", "IN", ()),
    "Tata Consultancy Services": (600000, "it services and it consulting", "IN", ()),
    "Booking.com": (21000, "leisure, travel & tourism", "NL", ()),
    "Zalando": (15000, "retail apparel and fashion", "DE", ()),
    "Ubisoft": (19000, "computer games", "FR", ()),
}

# --- Named schools: name → (country, bundles) ----------------------------------------------------
_T10US = "top 10 us universities"
_T100W = "top 100 world"
_T10FB = "top 10 french business schools"
_T10CS = "top 10 us computer science schools"
_T10EN = "top 10 us engineering schools"
_T10FE = "top 10 french engineering schools"
_T100US = "top 100 us universities"

NAMED_SCHOOLS = {
    "Harvard University": ("US", (_T10US, _T100W, _T100US)),
    "Stanford University": ("US", (_T10US, _T100W, _T10CS, _T10EN, _T100US)),
    "Massachusetts Institute of Technology": ("US", (_T10US, _T100W, _T10CS, _T10EN, _T100US)),
    "Princeton University": ("US", (_T10US, _T100W, _T10CS, _T100US)),
    "Yale University": ("US", (_T10US, _T100W, _T100US)),
    "California Institute of Technology": ("US", (_T10US, _T100W, _T10EN, _T100US)),
    "Columbia University": ("US", (_T10US, _T100W, _T100US)),
    "University of Chicago": ("US", (_T10US, _T100W, _T100US)),
    "University of Pennsylvania": ("US", (_T10US, _T100W, _T100US)),
    "Johns Hopkins University": ("US", (_T10US, _T100W, _T100US)),
    "Carnegie Mellon University": ("US", (_T100W, _T10CS, _T10EN, _T100US)),
    "University of California, Berkeley": ("US", (_T100W, _T10CS, _T10EN, _T100US)),
    "Cornell University": ("US", (_T100W, _T10CS, _T10EN, _T100US)),
    "University of Illinois Urbana-Champaign": ("US", (_T100W, _T10CS, _T10EN, _T100US)),
    "Georgia Institute of Technology": ("US", (_T100W, _T10CS, _T10EN, _T100US)),
    "University of Washington": ("US", (_T100W, _T10CS, _T100US)),
    "University of Michigan": ("US", (_T100W, _T10EN, _T100US)),
    "Purdue University": ("US", (_T10EN, _T100US)),
    "University of Texas at Austin": ("US", (_T100W, _T10CS, _T100US)),
    "New York University": ("US", (_T100W, _T100US)),
    "University of California, Los Angeles": ("US", (_T100W, _T100US)),
    "Duke University": ("US", (_T100W, _T100US)),
    "Northwestern University": ("US", (_T100W, _T100US)),
    "Boston University": ("US", (_T100US,)),
    "Arizona State University": ("US", (_T100US,)),
    "Ohio State University": ("US", (_T100US,)),
    "University of Oxford": ("GB", (_T100W,)),
    "University of Cambridge": ("GB", (_T100W,)),
    "Imperial College London": ("GB", (_T100W,)),
    "University College London": ("GB", (_T100W,)),
    "ETH Zurich": ("CH", (_T100W,)),
    "EPFL": ("CH", (_T100W,)),
    "Technical University of Munich": ("DE", (_T100W,)),
    "University of Toronto": ("CA", (_T100W,)),
    "National University of Singapore": ("SG", (_T100W,)),
    "Tsinghua University": ("CN", (_T100W,)),
    "University of Tokyo": ("JP", (_T100W,)),
    "Indian Institute of Technology Bombay": ("IN", (_T100W,)),
    "Delft University of Technology": ("NL", (_T100W,)),
    "KTH Royal Institute of Technology": ("SE", (_T100W,)),
    "Sorbonne University": ("FR", (_T100W,)),
    "Université PSL": ("FR", (_T100W,)),
    "École Polytechnique": ("FR", (_T100W, _T10FE)),
    "CentraleSupélec": ("FR", (_T10FE,)),
    "Mines Paris - PSL": ("FR", (_T10FE,)),
    "École des Ponts ParisTech": ("FR", (_T10FE,)),
    "Télécom Paris": ("FR", (_T10FE,)),
    "ISAE-SUPAERO": ("FR", (_T10FE,)),
    "ENSTA Paris": ("FR", (_T10FE,)),
    "INSA Lyon": ("FR", (_T10FE,)),
    "Grenoble INP": ("FR", (_T10FE,)),
    "ENS Paris-Saclay": ("FR", (_T10FE,)),
    "HEC Paris": ("FR", (_T10FB,)),
    "ESSEC Business School": ("FR", (_T10FB,)),
    "ESCP Business School": ("FR", (_T10FB,)),
    "EDHEC Business School": ("FR", (_T10FB,)),
    "emlyon business school": ("FR", (_T10FB,)),
    "Grenoble Ecole de Management": ("FR", (_T10FB,)),
    "SKEMA Business School": ("FR", (_T10FB,)),
    "Audencia": ("FR", (_T10FB,)),
    "NEOMA Business School": ("FR", (_T10FB,)),
    "KEDGE Business School": ("FR", (_T10FB,)),
    "INSEAD": ("FR", (_T100W,)),
    "Epitech": ("FR", ()),
    "42 Paris": ("FR", ()),
}

# Generic schools of a country, from its cities.
SCHOOL_PATTERNS = {
    "FR": ("Université de {city}", "École d'ingénieurs de {city}", "{city} Business School"),
    "DE": ("Universität {city}", "Technische Hochschule {city}"),
    "ES": ("Universidad de {city}",),
    "IT": ("Università di {city}", "Politecnico di {city}"),
    "BR": ("Universidade de {city}",),
    "PT": ("Universidade de {city}",),
    "MX": ("Universidad de {city}",),
    "NL": ("Universiteit {city}",),
}
DEFAULT_SCHOOL_PATTERNS = ("University of {city}", "{city} Institute of Technology",
                           "{city} State University", "{city} School of Business")

MAJORS = {
    "engineering": ("Computer Science", "Software Engineering", "Electrical Engineering",
                    "Mathematics", "Computer Engineering"),
    "data": ("Computer Science", "Statistics", "Mathematics", "Physics", "Data Science"),
    "design": ("Design", "Human-Computer Interaction", "Graphic Design", "Fine Arts",
               "Psychology"),
    "product": ("Business Administration", "Computer Science", "Economics", "Management"),
    "sales": ("Business Administration", "Marketing", "Economics", "Communication"),
    "marketing": ("Marketing", "Communication", "Business Administration", "Journalism"),
    "people": ("Psychology", "Human Resources", "Business Administration", "Sociology"),
    "finance": ("Finance", "Accounting", "Economics", "Business Administration"),
    "operations": ("Business Administration", "Industrial Engineering", "Logistics"),
    "leadership": ("Computer Science", "Business Administration", "Engineering", "Economics"),
}
DEGREE_NAMES = {
    "bachelors": ("Bachelor of Science", "Bachelor of Arts", "Bachelor of Engineering"),
    "masters": ("Master of Science", "Master of Engineering", "MBA", "Master of Arts"),
    "doctorates": ("PhD",),
}

# Templated sentences (Faker supplies names and catch phrases; these keep profiles readable).
HEADLINES = ("{title} at {company}", "{title} | {skill1} · {skill2}",
             "{title} · {skill1}, {skill2} and {skill3}", "{title} — building {phrase}")
SUMMARIES = (
    "{title} with {yoe} years of experience in {skill1}, {skill2} and {skill3}.",
    "I am a {title} based in {city}. I care about {phrase} and {interest}.",
    "{yoe} years building products with {skill1} and {skill2}; currently {title} at {company}.",
    "Passionate {title} focused on {phrase}. Skilled in {skill1} and {skill2}.",
)
DESCRIPTIONS = (
    "Worked on {phrase} using {skill1} and {skill2}.",
    "Led a team of {n} on {phrase}.",
    "Delivered {phrase} for {n} clients with {skill1}.",
    "Built and maintained {phrase}; {skill1}, {skill2}.",
    "Improved {phrase} by {n}% using {skill1}.",
)
