/**
 * Invented-but-plausible vocabulary for the synthetic notes. Drugs are grouped into therapeutic classes so that a
 * drug's strengths, delivery, reasons, and adverse events hang together. Reasons and adverse events deliberately
 * share words across classes ("rash" is an adverse event of antibiotics and a reason for hydrocortisone cream;
 * "constipation" is an adverse event of opioids and a reason for senna), so only context can tell them apart.
 */

/** How a drug reaches the patient: which form words and route words go together. */
export type FormKind =
  | 'tablet'
  | 'capsule'
  | 'liquid'
  | 'injection'
  | 'insulin'
  | 'patch'
  | 'inhaler'
  | 'nebulizer'
  | 'topical'
  | 'suppository'
  | 'drops'
  | 'spray'
  | 'powder';

export type RouteKind =
  | 'oral'
  | 'iv'
  | 'sq'
  | 'im'
  | 'topical'
  | 'inhaled'
  | 'rectal'
  | 'sublingual'
  | 'transdermal'
  | 'ophthalmic'
  | 'nasal';

export interface Delivery {
  form: FormKind;
  route: RouteKind;
}

export interface DrugClass {
  key: string;
  /** Surface names: generics, brands, abbreviations, multiword names. */
  names: string[];
  /** Strength amounts (`5`, `0.5`, `5/325`) and the unit they go with. */
  amounts: string[];
  unit: string;
  deliveries: Delivery[];
  reasons: string[];
  adverseEvents: string[];
}

const oral: Delivery[] = [
  { form: 'tablet', route: 'oral' },
  { form: 'capsule', route: 'oral' },
];
const oralTablet: Delivery[] = [{ form: 'tablet', route: 'oral' }];
const iv: Delivery[] = [{ form: 'injection', route: 'iv' }];

export const DRUG_CLASSES: DrugClass[] = [
  {
    key: 'ace-inhibitor',
    names: ['lisinopril', 'Zestril', 'Prinivil', 'enalapril', 'Vasotec', 'captopril', 'ramipril', 'Altace', 'benazepril', 'quinapril', 'fosinopril'],
    amounts: ['2.5', '5', '10', '20', '40'],
    unit: 'mg',
    deliveries: oralTablet,
    reasons: ['hypertension', 'HTN', 'blood pressure control', 'CHF', 'heart failure', 'proteinuria'],
    adverseEvents: ['cough', 'dry cough', 'hyperkalemia', 'angioedema', 'acute kidney injury', 'hypotension', 'dizziness'],
  },
  {
    key: 'arb',
    names: ['losartan', 'Cozaar', 'valsartan', 'Diovan', 'irbesartan', 'candesartan', 'olmesartan', 'telmisartan'],
    amounts: ['25', '50', '80', '100', '160'],
    unit: 'mg',
    deliveries: oralTablet,
    reasons: ['hypertension', 'HTN', 'heart failure', 'diabetic nephropathy'],
    adverseEvents: ['hyperkalemia', 'hypotension', 'dizziness', 'acute renal failure'],
  },
  {
    key: 'beta-blocker',
    names: ['metoprolol', 'metoprolol tartrate', 'metoprolol succinate', 'Lopressor', 'Toprol XL', 'carvedilol', 'Coreg', 'atenolol', 'Tenormin', 'labetalol', 'propranolol', 'Inderal', 'nadolol', 'bisoprolol'],
    amounts: ['6.25', '12.5', '25', '50', '100'],
    unit: 'mg',
    deliveries: [...oralTablet, ...iv],
    reasons: ['hypertension', 'atrial fibrillation', 'rate control', 'tachycardia', 'HTN', 'CAD', 'afib'],
    adverseEvents: ['bradycardia', 'hypotension', 'fatigue', 'dizziness', 'heart block'],
  },
  {
    key: 'calcium-channel-blocker',
    names: ['amlodipine', 'Norvasc', 'diltiazem', 'Cardizem', 'verapamil', 'nifedipine', 'Procardia', 'felodipine'],
    amounts: ['2.5', '5', '10', '30', '60', '120'],
    unit: 'mg',
    deliveries: [...oral, ...iv],
    reasons: ['hypertension', 'atrial fibrillation', 'HTN', 'rate control', 'Raynaud phenomenon'],
    adverseEvents: ['edema', 'lower extremity edema', 'bradycardia', 'hypotension', 'constipation'],
  },
  {
    key: 'diuretic',
    names: ['furosemide', 'Lasix', 'hydrochlorothiazide', 'HCTZ', 'torsemide', 'bumetanide', 'Bumex', 'spironolactone', 'Aldactone', 'metolazone', 'chlorthalidone', 'acetazolamide'],
    amounts: ['10', '12.5', '20', '25', '40', '80'],
    unit: 'mg',
    deliveries: [...oralTablet, ...iv],
    reasons: ['edema', 'CHF', 'fluid overload', 'volume overload', 'ascites', 'hypertension', 'lower extremity edema'],
    adverseEvents: ['hypokalemia', 'hyponatremia', 'acute kidney injury', 'dehydration', 'hypotension', 'hyperkalemia'],
  },
  {
    key: 'oral-anticoagulant',
    names: ['warfarin', 'Coumadin', 'apixaban', 'Eliquis', 'rivaroxaban', 'Xarelto', 'dabigatran', 'Pradaxa'],
    amounts: ['1', '2', '2.5', '5', '7.5', '15', '20'],
    unit: 'mg',
    deliveries: oralTablet,
    reasons: ['atrial fibrillation', 'DVT', 'PE', 'pulmonary embolism', 'anticoagulation', 'mechanical valve', 'stroke prevention'],
    adverseEvents: ['bleeding', 'GI bleed', 'hematoma', 'hematuria', 'supratherapeutic INR', 'epistaxis'],
  },
  {
    key: 'injectable-anticoagulant',
    names: ['heparin', 'enoxaparin', 'Lovenox', 'fondaparinux', 'Arixtra', 'argatroban', 'bivalirudin', 'dalteparin'],
    amounts: ['5000', '7500', '40', '60', '80', '1'],
    unit: 'units',
    deliveries: [
      { form: 'injection', route: 'sq' },
      { form: 'injection', route: 'iv' },
    ],
    reasons: ['DVT prophylaxis', 'DVT', 'PE', 'anticoagulation', 'atrial fibrillation', 'NSTEMI'],
    adverseEvents: ['bleeding', 'thrombocytopenia', 'hematoma', 'retroperitoneal bleed', 'GI bleed'],
  },
  {
    key: 'antiplatelet',
    names: ['aspirin', 'ASA', 'acetylsalicylic acid', 'Ecotrin', 'clopidogrel', 'Plavix', 'prasugrel', 'Effient', 'ticagrelor', 'Brilinta', 'dipyridamole', 'cilostazol'],
    amounts: ['81', '75', '325', '90', '10'],
    unit: 'mg',
    deliveries: oralTablet,
    reasons: ['CAD', 'coronary artery disease', 'stent', 'NSTEMI', 'stroke', 'secondary prevention', 'peripheral vascular disease'],
    adverseEvents: ['bleeding', 'GI bleed', 'bruising', 'epistaxis', 'melena'],
  },
  {
    key: 'lipid-lowering',
    names: ['atorvastatin', 'Lipitor', 'simvastatin', 'Zocor', 'pravastatin', 'Pravachol', 'rosuvastatin', 'Crestor', 'lovastatin', 'ezetimibe', 'Zetia'],
    amounts: ['10', '20', '40', '80'],
    unit: 'mg',
    deliveries: oralTablet,
    reasons: ['hyperlipidemia', 'high cholesterol', 'dyslipidemia', 'CAD', 'HLD'],
    adverseEvents: ['myalgias', 'muscle pain', 'elevated LFTs', 'transaminitis', 'rhabdomyolysis'],
  },
  {
    key: 'insulin',
    names: ['insulin', 'insulin glargine', 'Lantus', 'insulin lispro', 'Humalog', 'insulin aspart', 'Novolog', 'NPH', 'NPH insulin', 'regular insulin', 'insulin detemir', 'Levemir'],
    amounts: ['100'],
    unit: 'unit/mL',
    deliveries: [{ form: 'insulin', route: 'sq' }],
    reasons: ['diabetes', 'DM', 'type 2 diabetes', 'hyperglycemia', 'blood sugar control', 'diabetes mellitus'],
    adverseEvents: ['hypoglycemia', 'low blood sugar'],
  },
  {
    key: 'oral-hypoglycemic',
    names: ['metformin', 'Glucophage', 'glipizide', 'Glucotrol', 'glyburide', 'sitagliptin', 'Januvia', 'pioglitazone', 'Actos', 'glimepiride'],
    amounts: ['2.5', '5', '10', '50', '100', '500', '850', '1000'],
    unit: 'mg',
    deliveries: oralTablet,
    reasons: ['diabetes', 'DM2', 'type 2 diabetes', 'diabetes mellitus', 'hyperglycemia'],
    adverseEvents: ['hypoglycemia', 'lactic acidosis', 'diarrhea', 'nausea'],
  },
  {
    key: 'opioid',
    names: ['morphine', 'MS Contin', 'MSO4', 'oxycodone', 'OxyContin', 'hydromorphone', 'Dilaudid', 'tramadol', 'Ultram', 'methadone', 'codeine', 'hydrocodone', 'fentanyl'],
    amounts: ['0.5', '1', '2', '4', '5', '10', '15', '30', '50'],
    unit: 'mg',
    deliveries: [...oralTablet, ...iv],
    reasons: ['pain', 'back pain', 'abdominal pain', 'post-operative pain', 'chronic pain', 'breakthrough pain', 'incisional pain'],
    adverseEvents: ['constipation', 'nausea', 'somnolence', 'respiratory depression', 'itching', 'pruritus', 'confusion', 'delirium', 'hypotension'],
  },
  {
    key: 'opioid-combination',
    names: ['Percocet', 'oxycodone-acetaminophen', 'Vicodin', 'hydrocodone-acetaminophen', 'Norco', 'Tylenol #3', 'acetaminophen-codeine'],
    amounts: ['5/325', '10/325', '5-325', '7.5/325', '300-30'],
    unit: 'mg',
    deliveries: oralTablet,
    reasons: ['pain', 'back pain', 'post-operative pain', 'incisional pain', 'knee pain'],
    adverseEvents: ['constipation', 'nausea', 'drowsiness', 'somnolence'],
  },
  {
    key: 'opioid-patch',
    names: ['fentanyl patch', 'Duragesic', 'buprenorphine patch', 'Butrans'],
    amounts: ['12', '25', '50', '75'],
    unit: 'mcg/hr',
    deliveries: [{ form: 'patch', route: 'transdermal' }],
    reasons: ['chronic pain', 'cancer pain', 'pain'],
    adverseEvents: ['somnolence', 'respiratory depression', 'constipation', 'skin irritation'],
  },
  {
    key: 'analgesic',
    names: ['acetaminophen', 'Tylenol', 'APAP', 'ibuprofen', 'Motrin', 'Advil', 'naproxen', 'Aleve', 'ketorolac', 'Toradol', 'celecoxib', 'Celebrex', 'meloxicam'],
    amounts: ['325', '400', '500', '600', '650', '1000', '15', '30'],
    unit: 'mg',
    deliveries: [...oral, { form: 'suppository', route: 'rectal' }],
    reasons: ['pain', 'fever', 'headache', 'arthritis', 'osteoarthritis', 'musculoskeletal pain', 'back pain'],
    adverseEvents: ['GI bleed', 'acute kidney injury', 'transaminitis', 'gastritis', 'renal failure'],
  },
  {
    key: 'topical-analgesic',
    names: ['lidocaine patch', 'Lidoderm', 'lidocaine', 'diclofenac gel', 'Voltaren gel', 'capsaicin cream'],
    amounts: ['5', '1', '0.025'],
    unit: '%',
    deliveries: [
      { form: 'patch', route: 'topical' },
      { form: 'topical', route: 'topical' },
    ],
    reasons: ['back pain', 'knee pain', 'neuropathic pain', 'rib fracture pain', 'shoulder pain'],
    adverseEvents: ['skin irritation', 'rash', 'erythema'],
  },
  {
    key: 'oral-antibiotic',
    names: ['amoxicillin', 'Augmentin', 'amoxicillin-clavulanate', 'penicillin', 'cephalexin', 'Keflex', 'ciprofloxacin', 'Cipro', 'levofloxacin', 'Levaquin', 'moxifloxacin', 'azithromycin', 'Zithromax', 'Z-pack', 'doxycycline', 'metronidazole', 'Flagyl', 'clindamycin', 'Bactrim', 'Bactrim DS', 'trimethoprim-sulfamethoxazole', 'TMP-SMX', 'nitrofurantoin', 'Macrobid', 'linezolid', 'cefpodoxime', 'cefuroxime', 'dicloxacillin'],
    amounts: ['250', '500', '750', '875', '100', '300', '600', '800-160'],
    unit: 'mg',
    deliveries: oral,
    reasons: ['pneumonia', 'urinary tract infection', 'UTI', 'cellulitis', 'infection', 'C. diff colitis', 'aspiration pneumonia', 'community acquired pneumonia', 'sinusitis', 'bronchitis'],
    adverseEvents: ['rash', 'diarrhea', 'C. diff', 'hives', 'nausea', 'thrush', 'QT prolongation', 'pruritic rash', 'tendinitis'],
  },
  {
    key: 'iv-antibiotic',
    names: ['cefazolin', 'Ancef', 'ceftriaxone', 'Rocephin', 'cefepime', 'vancomycin', 'vanc', 'Vanco', 'piperacillin-tazobactam', 'Zosyn', 'pip-tazo', 'meropenem', 'ertapenem', 'gentamicin', 'daptomycin', 'ampicillin', 'nafcillin', 'aztreonam', 'ceftazidime', 'unasyn'],
    amounts: ['1', '2', '3.375', '4.5', '500', '750', '1.25'],
    unit: 'g',
    deliveries: iv,
    reasons: ['pneumonia', 'sepsis', 'bacteremia', 'cellulitis', 'osteomyelitis', 'MRSA bacteremia', 'urosepsis', 'endocarditis', 'infection', 'fever'],
    adverseEvents: ['rash', 'acute kidney injury', 'red man syndrome', 'C. diff', 'drug fever', 'neutropenia', 'renal failure', 'diarrhea', 'hives'],
  },
  {
    key: 'antimicrobial-other',
    names: ['fluconazole', 'Diflucan', 'nystatin', 'acyclovir', 'valacyclovir', 'Valtrex', 'oseltamivir', 'Tamiflu', 'micafungin', 'clotrimazole troche'],
    amounts: ['75', '100', '150', '200', '400', '500', '1000'],
    unit: 'mg',
    deliveries: [...oral, ...iv],
    reasons: ['thrush', 'yeast infection', 'candidiasis', 'herpes zoster', 'shingles', 'influenza', 'oral candidiasis', 'fungal infection'],
    adverseEvents: ['transaminitis', 'nausea', 'acute kidney injury', 'QT prolongation', 'headache'],
  },
  {
    key: 'acid-suppression',
    names: ['pantoprazole', 'Protonix', 'omeprazole', 'Prilosec', 'esomeprazole', 'Nexium', 'lansoprazole', 'famotidine', 'Pepcid', 'ranitidine', 'sucralfate', 'Carafate', 'Tums'],
    amounts: ['20', '40', '150', '1'],
    unit: 'mg',
    deliveries: [...oral, ...iv],
    reasons: ['GERD', 'reflux', 'GI prophylaxis', 'gastritis', 'GI bleed', 'heartburn', 'peptic ulcer disease', 'dyspepsia', 'stress ulcer prophylaxis'],
    adverseEvents: ['diarrhea', 'C. diff', 'thrombocytopenia', 'headache', 'hypomagnesemia'],
  },
  {
    key: 'bowel-regimen',
    names: ['docusate', 'docusate sodium', 'Colace', 'senna', 'Senokot', 'bisacodyl', 'Dulcolax', 'polyethylene glycol', 'Miralax', 'lactulose', 'magnesium citrate', 'milk of magnesia', 'sennosides'],
    amounts: ['8.6', '17', '100', '10', '30', '250'],
    unit: 'mg',
    deliveries: [...oral, { form: 'liquid', route: 'oral' }, { form: 'powder', route: 'oral' }, { form: 'suppository', route: 'rectal' }],
    reasons: ['constipation', 'bowel regimen', 'hepatic encephalopathy', 'opioid-induced constipation', 'hard stools'],
    adverseEvents: ['diarrhea', 'abdominal cramping', 'bloating', 'hypokalemia'],
  },
  {
    key: 'antiemetic',
    names: ['ondansetron', 'Zofran', 'metoclopramide', 'Reglan', 'prochlorperazine', 'Compazine', 'promethazine', 'Phenergan', 'meclizine', 'scopolamine'],
    amounts: ['4', '8', '10', '12.5', '25'],
    unit: 'mg',
    deliveries: [...oralTablet, ...iv],
    reasons: ['nausea', 'vomiting', 'nausea/vomiting', 'vertigo', 'gastroparesis', 'motion sickness'],
    adverseEvents: ['QT prolongation', 'constipation', 'headache', 'dystonia', 'drowsiness', 'akathisia'],
  },
  {
    key: 'antihistamine',
    names: ['diphenhydramine', 'Benadryl', 'hydroxyzine', 'Atarax', 'loratadine', 'Claritin', 'cetirizine', 'Zyrtec', 'fexofenadine', 'loperamide', 'Imodium'],
    amounts: ['2', '4', '10', '25', '50', '180'],
    unit: 'mg',
    deliveries: [...oral, ...iv],
    reasons: ['itching', 'pruritus', 'allergies', 'hives', 'rash', 'seasonal allergies', 'insomnia', 'diarrhea', 'allergic reaction'],
    adverseEvents: ['drowsiness', 'confusion', 'urinary retention', 'delirium', 'constipation'],
  },
  {
    key: 'sedative-antipsychotic',
    names: ['lorazepam', 'Ativan', 'diazepam', 'Valium', 'alprazolam', 'Xanax', 'clonazepam', 'Klonopin', 'zolpidem', 'Ambien', 'trazodone', 'quetiapine', 'Seroquel', 'haloperidol', 'Haldol', 'olanzapine', 'Zyprexa', 'melatonin', 'risperidone'],
    amounts: ['0.25', '0.5', '1', '2', '2.5', '5', '10', '25', '50'],
    unit: 'mg',
    deliveries: [...oralTablet, ...iv, { form: 'injection', route: 'im' }],
    reasons: ['anxiety', 'insomnia', 'agitation', 'alcohol withdrawal', 'sleep', 'delirium', 'panic attacks', 'schizophrenia'],
    adverseEvents: ['somnolence', 'confusion', 'delirium', 'oversedation', 'falls', 'respiratory depression', 'QT prolongation', 'hypotension'],
  },
  {
    key: 'antidepressant',
    names: ['sertraline', 'Zoloft', 'citalopram', 'Celexa', 'escitalopram', 'Lexapro', 'fluoxetine', 'Prozac', 'paroxetine', 'bupropion', 'Wellbutrin', 'mirtazapine', 'Remeron', 'venlafaxine', 'Effexor', 'duloxetine', 'Cymbalta', 'amitriptyline', 'nortriptyline'],
    amounts: ['7.5', '10', '15', '20', '25', '50', '75', '100', '150'],
    unit: 'mg',
    deliveries: oral,
    reasons: ['depression', 'anxiety', 'poor appetite', 'neuropathic pain', 'insomnia', 'major depressive disorder'],
    adverseEvents: ['hyponatremia', 'serotonin syndrome', 'nausea', 'somnolence', 'QT prolongation'],
  },
  {
    key: 'anticonvulsant',
    names: ['levetiracetam', 'Keppra', 'phenytoin', 'Dilantin', 'valproic acid', 'Depakote', 'lamotrigine', 'Lamictal', 'carbamazepine', 'gabapentin', 'Neurontin', 'pregabalin', 'Lyrica', 'lacosamide', 'topiramate'],
    amounts: ['25', '50', '75', '100', '250', '300', '500', '750', '1000'],
    unit: 'mg',
    deliveries: [...oral, ...iv],
    reasons: ['seizures', 'seizure disorder', 'epilepsy', 'seizure prophylaxis', 'neuropathy', 'neuropathic pain'],
    adverseEvents: ['rash', 'Stevens-Johnson syndrome', 'somnolence', 'dizziness', 'thrombocytopenia', 'hyperammonemia', 'confusion', 'ataxia'],
  },
  {
    key: 'systemic-steroid',
    names: ['prednisone', 'methylprednisolone', 'Solu-Medrol', 'dexamethasone', 'Decadron', 'hydrocortisone', 'fludrocortisone', 'prednisolone'],
    amounts: ['0.1', '4', '5', '10', '20', '40', '60', '125'],
    unit: 'mg',
    deliveries: [...oralTablet, ...iv],
    reasons: ['COPD exacerbation', 'asthma exacerbation', 'gout', 'adrenal insufficiency', 'cerebral edema', 'inflammation', 'rheumatoid arthritis', 'wheezing'],
    adverseEvents: ['hyperglycemia', 'insomnia', 'delirium', 'thrush', 'psychosis', 'agitation', 'elevated blood sugars'],
  },
  {
    key: 'topical-steroid',
    names: ['hydrocortisone cream', 'triamcinolone cream', 'triamcinolone', 'clobetasol ointment', 'betamethasone cream', 'Kenalog'],
    amounts: ['0.1', '1', '2.5', '0.05'],
    unit: '%',
    deliveries: [{ form: 'topical', route: 'topical' }],
    reasons: ['rash', 'eczema', 'dermatitis', 'itching', 'contact dermatitis', 'psoriasis'],
    adverseEvents: ['skin atrophy', 'skin irritation', 'erythema'],
  },
  {
    key: 'bronchodilator',
    names: ['albuterol', 'albuterol inhaler', 'ProAir', 'Ventolin', 'ipratropium', 'Atrovent', 'tiotropium', 'Spiriva', 'fluticasone-salmeterol', 'Advair', 'Advair Diskus', 'budesonide-formoterol', 'Symbicort', 'DuoNeb', 'Flovent', 'levalbuterol'],
    amounts: ['90', '18', '250/50', '500/50', '0.083', '2.5'],
    unit: 'mcg',
    deliveries: [
      { form: 'inhaler', route: 'inhaled' },
      { form: 'nebulizer', route: 'inhaled' },
    ],
    reasons: ['wheezing', 'shortness of breath', 'COPD', 'asthma', 'bronchospasm', 'dyspnea', 'SOB'],
    adverseEvents: ['tachycardia', 'tremor', 'thrush', 'palpitations'],
  },
  {
    key: 'thyroid',
    names: ['levothyroxine', 'Synthroid', 'Levoxyl', 'methimazole', 'propylthiouracil', 'PTU'],
    amounts: ['25', '50', '75', '88', '100', '112', '125', '5', '10'],
    unit: 'mcg',
    deliveries: oralTablet,
    reasons: ['hypothyroidism', 'hyperthyroidism', 'Graves disease', 'thyroid replacement'],
    adverseEvents: ['palpitations', 'agranulocytosis', 'tachycardia', 'transaminitis'],
  },
  {
    key: 'electrolyte',
    names: ['potassium chloride', 'KCl', 'K-Dur', 'Klor-Con', 'potassium phosphate', 'K-Phos Neutral', 'sodium bicarbonate', 'magnesium sulfate', 'calcium gluconate'],
    amounts: ['10', '20', '40', '60'],
    unit: 'mEq',
    deliveries: [...oralTablet, ...iv],
    reasons: ['hypokalemia', 'hypomagnesemia', 'hypocalcemia', 'metabolic acidosis', 'hypophosphatemia', 'low potassium'],
    adverseEvents: ['hyperkalemia', 'GI upset', 'diarrhea', 'phlebitis'],
  },
  {
    key: 'supplement',
    names: ['ferrous sulfate', 'iron', 'folic acid', 'thiamine', 'multivitamin', 'MVI', 'vitamin D', 'cholecalciferol', 'vitamin B12', 'cyanocobalamin', 'calcium carbonate', 'vitamin C', 'magnesium oxide', 'zinc sulfate'],
    amounts: ['1', '100', '220', '250', '325', '400', '500', '1000'],
    unit: 'mg',
    deliveries: oralTablet,
    reasons: ['iron deficiency anemia', 'anemia', 'alcohol use', 'nutritional supplementation', 'vitamin D deficiency', 'B12 deficiency', 'osteoporosis', 'wound healing'],
    adverseEvents: ['constipation', 'dark stools', 'GI upset', 'nausea'],
  },
  {
    key: 'cardiac-other',
    names: ['digoxin', 'amiodarone', 'Cordarone', 'nitroglycerin', 'NTG', 'isosorbide mononitrate', 'Imdur', 'isosorbide dinitrate', 'hydralazine', 'clonidine', 'Catapres', 'sotalol', 'dofetilide', 'ranolazine'],
    amounts: ['0.125', '0.25', '0.4', '10', '25', '30', '60', '200', '400'],
    unit: 'mg',
    deliveries: [...oralTablet, { form: 'tablet', route: 'sublingual' }, ...iv],
    reasons: ['atrial fibrillation', 'chest pain', 'angina', 'hypertension', 'CHF', 'heart failure', 'ventricular tachycardia', 'rate control'],
    adverseEvents: ['bradycardia', 'hypotension', 'headache', 'hypothyroidism', 'pulmonary toxicity', 'QT prolongation', 'nausea'],
  },
  {
    key: 'vasoactive-sedation',
    names: ['norepinephrine', 'Levophed', 'vasopressin', 'phenylephrine', 'Neosynephrine', 'dopamine', 'dobutamine', 'propofol', 'midazolam', 'Versed', 'dexmedetomidine', 'Precedex'],
    amounts: ['0.03', '0.05', '0.1', '0.5', '1', '2', '5', '20', '50'],
    unit: 'mcg/kg/min',
    deliveries: iv,
    reasons: ['hypotension', 'septic shock', 'shock', 'sedation', 'low blood pressure', 'cardiogenic shock', 'agitation'],
    adverseEvents: ['arrhythmia', 'bradycardia', 'hypertriglyceridemia', 'limb ischemia', 'hypotension'],
  },
  {
    key: 'gout-urology',
    names: ['allopurinol', 'Zyloprim', 'colchicine', 'tamsulosin', 'Flomax', 'finasteride', 'Proscar', 'oxybutynin', 'febuxostat'],
    amounts: ['0.4', '0.6', '5', '40', '100', '300'],
    unit: 'mg',
    deliveries: oral,
    reasons: ['gout', 'gout flare', 'BPH', 'urinary retention', 'hyperuricemia', 'overactive bladder'],
    adverseEvents: ['rash', 'diarrhea', 'orthostatic hypotension', 'dizziness', 'Stevens-Johnson syndrome'],
  },
  {
    key: 'eye-nose',
    names: ['artificial tears', 'latanoprost', 'timolol', 'fluticasone nasal spray', 'Flonase', 'saline nasal spray', 'Afrin', 'erythromycin ointment'],
    amounts: ['0.005', '0.5', '50', '0.05'],
    unit: '%',
    deliveries: [
      { form: 'drops', route: 'ophthalmic' },
      { form: 'spray', route: 'nasal' },
    ],
    reasons: ['dry eyes', 'glaucoma', 'allergic rhinitis', 'congestion', 'nasal congestion', 'conjunctivitis'],
    adverseEvents: ['eye irritation', 'epistaxis', 'rebound congestion'],
  },
  {
    key: 'neuro-other',
    names: ['donepezil', 'Aricept', 'memantine', 'Namenda', 'carbidopa-levodopa', 'Sinemet', 'ropinirole', 'baclofen', 'tizanidine', 'cyclobenzaprine', 'Flexeril'],
    amounts: ['5', '10', '25/100', '0.25', '2', '4'],
    unit: 'mg',
    deliveries: oralTablet,
    reasons: ['dementia', "Alzheimer's dementia", "Parkinson's disease", 'restless legs', 'muscle spasms', 'spasticity'],
    adverseEvents: ['bradycardia', 'hallucinations', 'nausea', 'somnolence', 'confusion'],
  },
];

/** Form words by kind: as written after a strength in a list (`Tablet`), in the Sig unit, and in free text. */
export interface FormWords {
  /** Form written after the strength in a pharmacy-style line: `Lisinopril 10 mg Tablet`. */
  listForms: string[];
  /** The unit after the dose count in `Sig: One (1) Tablet PO ...`; absent when the dose carries its own unit. */
  sigUnits?: string[];
  /** Dose counts for the Sig line (`One (1)`), or full dosages with unit when sigUnits is absent (`Twenty (20) units`). */
  sigDosages: string[];
  /** Dosages in free text, unit included: `1-2 tabs`, `two puffs`. */
  freeDosages: string[];
  /** Form words in free text: `tablet`, `patch`, `inhaler`. */
  freeForms: string[];
}

export const FORM_WORDS: Record<FormKind, FormWords> = {
  tablet: {
    listForms: ['Tablet', 'Tablet', 'tablet', 'Tablet, Delayed Release (E.C.)', 'Tablet Sustained Release', 'Tab'],
    sigUnits: ['Tablet', 'Tablet', 'Tablet(s)', 'tablet'],
    sigDosages: ['One (1)', 'One (1)', 'Two (2)', 'Three (3)', '0.5', '1', '2', '1-2', 'Half (0.5)'],
    freeDosages: ['1-2 tabs', 'one tablet', '1 tab', 'two tablets', '1/2 tab', 'one pill', '2 tabs'],
    freeForms: ['tablet', 'tablets', 'tabs', 'tab', 'pill'],
  },
  capsule: {
    listForms: ['Capsule', 'capsule', 'Cap', 'Capsule, Extended Release'],
    sigUnits: ['Capsule', 'Capsule', 'capsule'],
    sigDosages: ['One (1)', 'Two (2)', '1', '2'],
    freeDosages: ['one capsule', '1 cap', 'two capsules', '1-2 caps'],
    freeForms: ['capsule', 'capsules', 'caps'],
  },
  liquid: {
    listForms: ['Syrup', 'Liquid', 'Solution', 'Suspension', 'Oral Solution'],
    sigDosages: ['Thirty (30) ML', '15 mL', 'Ten (10) ML', '30 ml', 'one tablespoon'],
    freeDosages: ['15 mL', '30 ml', 'one tablespoon', '10 cc'],
    freeForms: ['syrup', 'liquid', 'solution', 'suspension'],
  },
  injection: {
    listForms: ['Solution', 'Injection', 'Syringe', 'Recon Soln', 'Piggyback'],
    sigDosages: ['One (1) Injection', 'One (1) dose', '1 dose', 'one injection'],
    freeDosages: ['one dose', '1 dose', 'one injection', 'a single dose'],
    freeForms: ['injection', 'drip', 'infusion', 'syringe'],
  },
  insulin: {
    listForms: ['Solution', 'Cartridge', 'Insulin Pen', 'Pen'],
    sigDosages: ['Twenty (20) units', 'Ten (10) Units', '12 units', 'Eight (8) units', '30 Units', 'per sliding scale'],
    freeDosages: ['10 units', '12 units', '20 units', 'eight units', '4 units', '30 units'],
    freeForms: ['pen', 'insulin pen', 'vial'],
  },
  patch: {
    listForms: ['Patch 72 hr', 'Patch 24 hr', 'Adhesive Patch, Medicated', 'Patch'],
    sigUnits: ['Patch 72 hr', 'Adhesive Patch, Medicated', 'Patch'],
    sigDosages: ['One (1)', '1'],
    freeDosages: ['one patch', '1 patch', 'two patches'],
    freeForms: ['patch', 'patches'],
  },
  inhaler: {
    listForms: ['Aerosol', 'HFA Aerosol Inhaler', 'Disk with Device', 'Cap w/Inhalation Device', 'inhaler'],
    sigUnits: ['Puff', 'Puff', 'puffs', 'Inhalation', 'Cap'],
    sigDosages: ['One (1)', 'Two (2)', '1-2', '2', '1'],
    freeDosages: ['two puffs', '2 puffs', '1-2 puffs', 'one puff', '2 inhalations'],
    freeForms: ['inhaler', 'MDI', 'diskus'],
  },
  nebulizer: {
    listForms: ['Solution for Nebulization', 'Nebulizer Solution', 'neb'],
    sigUnits: ['Neb', 'Inhalation', 'neb'],
    sigDosages: ['One (1)', '1'],
    freeDosages: ['one neb', '1 neb', 'one vial'],
    freeForms: ['nebulizer', 'nebs', 'neb'],
  },
  topical: {
    listForms: ['Cream', 'Ointment', 'Gel', 'Lotion', 'cream'],
    sigDosages: ['One (1) Appl', 'Apply', 'a thin layer', 'small amount'],
    freeDosages: ['a thin layer', 'a small amount', 'one application'],
    freeForms: ['cream', 'ointment', 'gel', 'lotion'],
  },
  suppository: {
    listForms: ['Suppository', 'suppository'],
    sigUnits: ['Suppository', 'suppository'],
    sigDosages: ['One (1)', '1'],
    freeDosages: ['one suppository', '1 suppository'],
    freeForms: ['suppository'],
  },
  drops: {
    listForms: ['Drops', 'Solution', 'Ointment'],
    sigUnits: ['Drop', 'drop', 'Drops'],
    sigDosages: ['One (1)', 'Two (2)', '1-2'],
    freeDosages: ['one drop', '1 drop', '2 drops', '1-2 drops'],
    freeForms: ['drops', 'eye drops', 'ointment'],
  },
  spray: {
    listForms: ['Spray, Suspension', 'Spray', 'Aerosol, Spray'],
    sigUnits: ['Spray', 'sprays', 'Spray'],
    sigDosages: ['One (1)', 'Two (2)', '1-2', '2'],
    freeDosages: ['two sprays', '1 spray', '2 sprays', 'one spray'],
    freeForms: ['spray', 'nasal spray'],
  },
  powder: {
    listForms: ['Powder in Packet', 'Powder', 'Packet'],
    sigUnits: ['Packet', 'packet', 'Powder in Packet'],
    sigDosages: ['One (1)', '1', 'one'],
    freeDosages: ['one packet', '17 grams', 'one capful', '1 packet'],
    freeForms: ['powder', 'packet'],
  },
};

/** Route words by kind: the first one is the pharmacy-list spelling, the rest vary. */
export const ROUTE_WORDS: Record<RouteKind, string[]> = {
  oral: ['PO', 'PO', 'PO', 'p.o.', 'po', 'by mouth', 'orally', 'P.O.', 'Oral'],
  iv: ['IV', 'IV', 'Intravenous', 'intravenously', 'IVPB', 'iv', 'IV push'],
  sq: ['SQ', 'Subcutaneous', 'SC', 'subcutaneously', 'subcut', 'sc', 'SUBQ'],
  im: ['IM', 'intramuscularly', 'Intramuscular'],
  topical: ['Topical', 'topically', 'TP', 'TOP'],
  inhaled: ['Inhalation', 'inhaled', 'INH', 'nebulized', 'via nebulizer'],
  rectal: ['Rectal', 'PR', 'per rectum', 'rectally', 'pr'],
  sublingual: ['Sublingual', 'SL', 'sublingually', 'sl'],
  transdermal: ['Transdermal', 'TD', 'transdermally'],
  ophthalmic: ['Ophthalmic', 'OU', 'in each eye', 'both eyes'],
  nasal: ['Nasal', 'intranasally', 'each nostril', 'NAS'],
};

/** Frequencies as a pharmacy line writes them (`Q6H (every 6 hours)`) and as people write them (`q6h`). */
export const LIST_FREQUENCIES: string[] = [
  'DAILY (Daily)', 'BID (2 times a day)', 'TID (3 times a day)', 'QID (4 times a day)', 'Q6H (every 6 hours)',
  'Q4H (every 4 hours)', 'Q8H (every 8 hours)', 'Q12H (every 12 hours)', 'HS (at bedtime)',
  'QHS (once a day (at bedtime))', 'Q24H (every 24 hours)', 'QAM (once a day (in the morning))', 'Q72H (every 72 hours)',
  'DAILY', 'BID', 'once a day', 'twice a day',
];
export const FREE_FREQUENCIES: string[] = [
  'daily', 'once daily', 'q.d.', 'QD', 'qday', 'BID', 'b.i.d.', 'b.i.d', 'bid', 'twice a day', 'twice daily', 'TID',
  't.i.d.', 'tid', 'three times a day', 'QID', 'q.i.d.', 'four times a day', 'q4h', 'q6h', 'q8h', 'q12h', 'Q6H',
  'every 6 hours', 'every 4 hours', 'every 8 hours', 'qhs', 'at bedtime', 'nightly', 'qAM', 'in the morning',
  'weekly', 'once a week', 'every other day', 'QOD', 'with meals', 'before meals', 'q4-6h', 'every 4-6 hours',
];
/** Frequencies that already say "as needed"; a reason usually follows. */
export const PRN_FREQUENCIES: string[] = [
  'prn', 'p.r.n.', 'PRN', 'as needed', 'q6h prn', 'q4h PRN', 'every 6 hours as needed', 'every 4 hours as needed',
  'Q6H (every 6 hours) as needed', 'Q4H (every 4 hours) as needed', 'Q8H (every 8 hours) as needed',
  'TID (3 times a day) as needed', 'BID (2 times a day) as needed', 'q.4h. p.r.n.', 'daily as needed', 'HS (at bedtime) as needed',
];
/** The short frequencies that can be followed by a separate "PRN" (a discontinuous Frequency: `q6h PO PRN`). */
export const SPLITTABLE_FREQUENCIES: string[] = ['q4h', 'q6h', 'q8h', 'Q6H', 'Q4H', 'q3h', 'BID', 'TID', 'daily', 'q4-6h'];
export const PRN_WORDS: string[] = ['PRN', 'prn', 'p.r.n.', 'as needed'];

export const DURATIONS: string[] = [
  'for 7 days', 'x10 days', 'x 10 days', 'for 10 days', 'for 2 weeks', 'for a total of 14 days', 'for one month',
  'for 5 more days', 'for 3 days', 'x5 days', 'for the next 3 days', 'times 5 days', 'for 1 week', 'for 6 weeks',
  'x 7d', 'for 4 more days', 'for a 10 day course', 'for 48 hours', 'for a total of 7 days', 'for five days',
];

/**
 * Generic drug mentions that contain their own reason (`pain medications`): n2c2 annotates the whole phrase as a
 * Drug and the inner word as its Reason, so the two spans overlap.
 */
export const DRUGS_WITH_INNER_REASON: { drug: string; reason: string }[] = [
  { drug: 'pain medications', reason: 'pain' },
  { drug: 'pain medication', reason: 'pain' },
  { drug: 'blood pressure medications', reason: 'blood pressure' },
  { drug: 'nausea medication', reason: 'nausea' },
  { drug: 'seizure medications', reason: 'seizure' },
  { drug: 'diabetes medications', reason: 'diabetes' },
  { drug: 'anxiety medications', reason: 'anxiety' },
];

/** A longer drug name containing a shorter one, both annotated as Drug (nested mentions). */
export const NESTED_DRUGS: { outer: string; inner: string }[] = [
  { outer: 'insulin sliding scale', inner: 'insulin' },
  { outer: 'Tylenol with codeine', inner: 'codeine' },
  { outer: 'calcium with vitamin D', inner: 'vitamin D' },
  { outer: 'heparin flush', inner: 'heparin' },
  { outer: 'aspirin-dipyridamole', inner: 'aspirin' },
];

/** Adverse events whose name contains the culprit drug: ADE span with a nested Drug span. */
export const ADES_NAMING_THE_DRUG: { ade: string; drug: string }[] = [
  { ade: 'heparin-induced thrombocytopenia', drug: 'heparin' },
  { ade: 'digoxin toxicity', drug: 'digoxin' },
  { ade: 'steroid-induced hyperglycemia', drug: 'steroid' },
  { ade: 'opioid-induced constipation', drug: 'opioid' },
  { ade: 'lithium toxicity', drug: 'lithium' },
  { ade: 'vancomycin-associated nephrotoxicity', drug: 'vancomycin' },
  { ade: 'amiodarone-induced hypothyroidism', drug: 'amiodarone' },
];

/** Drug-class names people write on the Allergies line (annotated as Drug with no relations). */
export const ALLERGY_DRUGS: string[] = [
  'Penicillins', 'Sulfa (Sulfonamide Antibiotics)', 'Codeine', 'Morphine', 'Lisinopril', 'Aspirin', 'Vancomycin',
  'Bactrim', 'Levaquin', 'Iodine', 'Ace Inhibitors', 'Erythromycin', 'Cephalosporins', 'Percocet', 'Ibuprofen',
  'Keflex', 'Heparin Agents', 'Statins-Hmg-Coa Reductase Inhibitors', 'Nsaids', 'Demerol',
];

/** Plain clinical vocabulary with no annotation: problems, findings, places. */
export const PROBLEMS: string[] = [
  'Hypertension', 'Atrial fibrillation', 'Pneumonia', 'Acute on chronic systolic heart failure', 'COPD exacerbation',
  'Urinary tract infection', 'Acute kidney injury', 'Diabetes mellitus type 2', 'Chest pain', 'GI bleed', 'Cellulitis',
  'Alcohol withdrawal', 'Altered mental status', 'Hyponatremia', 'Sepsis', 'Pain control', 'Anemia', 'Delirium',
  'Coronary artery disease', 'Seizure', 'Hypothyroidism', 'Depression', 'Constipation', 'DVT', 'Gout',
];

export const CHIEF_COMPLAINTS: string[] = [
  'shortness of breath', 'chest pain', 'fever', 'abdominal pain', 'fall', 'altered mental status', 'weakness',
  'nausea and vomiting', 'syncope', 'leg swelling', 'cough', 'dizziness', 'melena', 'back pain',
];

export const PROCEDURES: string[] = [
  'None', 'Cardiac catheterization', 'Upper endoscopy', 'PICC line placement', 'Thoracentesis', 'Paracentesis',
  'Colonoscopy', 'Intubation and extubation', 'Central line placement', 'Lumbar puncture',
];

export const SERVICES: string[] = ['MEDICINE', 'CARDIOLOGY', 'SURGERY', 'NEUROLOGY', 'ORTHOPAEDICS', 'CARDIOTHORACIC'];

/** Filler sentences for the narrative (no medications, no annotations). */
/** `{He}` and `{His}` are replaced by the patient's pronouns. */
export const FILLER_SENTENCES: string[] = [
  'Vital signs were stable throughout the admission.',
  'Physical therapy evaluated the patient and recommended discharge home with services.',
  'Chest x-ray showed no acute cardiopulmonary process.',
  'Labs were notable for a creatinine of 1.4, up from a baseline of 1.0.',
  'Blood cultures remained negative to date.',
  'An echocardiogram showed an EF of 40% with mild mitral regurgitation.',
  'The patient was seen by the nutrition team.',
  'The family was updated at the bedside.',
  'Urine output improved over the following 24 hours.',
  'CT head was negative for acute intracranial process.',
  'Social work was consulted for discharge planning.',
  'The patient remained afebrile and hemodynamically stable.',
  'EKG showed normal sinus rhythm at 78 with no ST changes.',
  '{His} oxygen requirement decreased to 2L by nasal cannula.',
  '{He} ambulated in the hallway without difficulty.',
];

export const DISPOSITIONS: string[] = ['Home', 'Home With Service', 'Extended Care', 'Rehab facility'];

export const FOLLOWUP_LINES: string[] = [
  'Please follow up with your primary care physician within 1-2 weeks.',
  'Provider: [**First Name8 (NamePattern2) **] [**Last Name (NamePattern1) **], MD Phone:[**Telephone/Fax (1) 1234**]',
  'Please call your cardiologist to schedule an appointment in 2 weeks.',
  'You have an appointment in the [**Hospital 2345**] clinic next week.',
];

/** Words written as numbers in Sig dosages; used for coordination like `20 or 40 mg`. */
export const NUMBER_WORDS: string[] = ['one', 'two', 'three', 'four', 'five', 'six', 'seven'];
